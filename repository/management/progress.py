"""A progress line for long commands (`larder retention run`, `larder proxy warm`): rewritten
in place on a terminal; on a pipe or a log, a line a second and the last one."""

import sys
import time
from typing import TextIO

EVERY = 1.0  # seconds between progress lines when the stream is not a terminal
WIDTH = 30


def megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


class ProgressBar:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self._last = 0.0

    def show(self, done: int, total: int, text: str, *, final: bool = False) -> None:
        """`[####      ]  40% 4/10 <text>`."""
        now = time.monotonic()
        if not self.tty and now - self._last < EVERY and not final:
            return
        self._last = now
        share = min(done / max(total, 1), 1.0)
        line = f"[{'#' * int(share * WIDTH):<{WIDTH}}] {share:4.0%} {done}/{total} {text}"
        self.stream.write(f"\r{line}" if self.tty else f"{line}\n")
        self.stream.flush()
