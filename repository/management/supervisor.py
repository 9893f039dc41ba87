"""Runs Larder's processes (web, worker, beat) as children and stops them together.

One process per role keeps each one simple and replaceable: in production each runs in its
own container, embedded they run under this supervisor. A signal to the supervisor is passed
on to every child; when one child dies, the others are stopped too, so a half-running
Larder never stays up unnoticed.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1
# make and shells pass a signal on to their children: a copy arriving right after the first
# is the same request, not an operator's second, impatient one.
_REPEAT_SECONDS = 1.0


@dataclass
class ProcessSpec:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to the child if the supervisor dies, even by SIGKILL."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _say(message: str) -> None:
    print(f"larder: {message}", file=sys.stderr, flush=True)


class Supervisor:
    def __init__(self, specs: list[ProcessSpec], stop_timeout: float = 30.0) -> None:
        self.specs = specs
        self.stop_timeout = stop_timeout
        self.children: dict[str, subprocess.Popen] = {}
        self._received: int | None = None
        self._received_at = 0.0

    def run(self) -> int:
        """Start every process, wait for a signal or a death, stop them all; the exit code."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in _STOP_SIGNALS}
        try:
            for spec in self.specs:
                self.children[spec.name] = subprocess.Popen(
                    spec.argv,
                    env={**os.environ, **spec.env},
                    process_group=0,  # a terminal's Ctrl-C reaches us only; we pass it on
                    preexec_fn=_die_with_parent if sys.platform == "linux" else None,
                )
            code = self._wait()
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return code

    def _on_signal(self, signum: int, frame) -> None:
        now = time.monotonic()
        if self._received is None:
            self._received, self._received_at = signum, now
        elif now - self._received_at > _REPEAT_SECONDS:  # asked again: no more patience
            for child in self.children.values():
                if child.poll() is None:
                    child.kill()

    def _wait(self) -> int:
        while self._received is None:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    _say(f"{name} exited with code {code}; stopping the others")
                    return code or 1
            time.sleep(0.2)
        _say(f"received {signal.Signals(self._received).name}; stopping")
        return 0

    def _stop_all(self) -> None:
        running = [child for child in self.children.values() if child.poll() is None]
        for child in running:
            child.send_signal(signal.SIGINT if self._received == signal.SIGINT else signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
