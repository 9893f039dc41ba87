"""Peak resident memory of a server: the sum over its process tree, and its largest process.

Sampled from /proc in a background thread while the load runs.
"""

import threading
from collections.abc import Callable
from pathlib import Path

PROC = Path("/proc")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in (PROC / str(pid) / "task").glob("*/children"):
        try:
            found += [int(child) for child in task.read_text().split()]
        except OSError:
            continue
    return found


def process_tree(root: int) -> list[int]:
    """The root and all its descendants that still exist (bounded by the process count)."""
    seen: list[int] = []
    pending = [root]
    while pending and len(seen) < 10_000:
        pid = pending.pop()
        if pid in seen or not (PROC / str(pid)).exists():
            continue
        seen.append(pid)
        pending += _children(pid)
    return seen


def rss_kb(status_text: str) -> int:
    """VmRSS from the text of /proc/<pid>/status (0 for a zombie or kernel thread)."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def sample(roots: list[int], matches: Callable[[str], bool]) -> tuple[int, int]:
    """(total kB over every process, largest kB among processes whose cmdline matches)."""
    total = largest = 0
    for root in roots:
        for pid in process_tree(root):
            try:
                kb = rss_kb((PROC / str(pid) / "status").read_text())
            except OSError:
                continue
            total += kb
            if matches(cmdline(pid)):
                largest = max(largest, kb)
    return total, largest


class PeakRss:
    """`with PeakRss(pids) as peak:` ... then peak.total_mb and peak.process_mb."""

    def __init__(
        self,
        roots: list[int],
        matches: Callable[[str], bool] = lambda cmd: True,
        interval: float = 0.25,
    ) -> None:
        self.roots = roots
        self.matches = matches
        self.interval = interval
        self.total_kb = 0
        self.process_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _take(self) -> None:
        total, largest = sample(self.roots, self.matches)
        self.total_kb = max(self.total_kb, total)
        self.process_kb = max(self.process_kb, largest)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._take()

    def __enter__(self) -> "PeakRss":
        self._take()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._take()

    @property
    def total_mb(self) -> float:
        return self.total_kb / 1024

    @property
    def process_mb(self) -> float:
        return self.process_kb / 1024
