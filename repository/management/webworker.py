"""gunicorn's threaded worker, taking new connections only while it holds no more than
its share of them.

All of gunicorn's workers wait on one listening socket, and whichever wakes first takes
the next connection. Keep-alive clients (the connection pools of pip, uv and npm, a load
balancer's upstream pool) then stay with the worker they landed on. A burst of them can
leave one worker with half and another with none (seen on the bench: 31, 23, 10 and 0 of
64). The busy worker serves half the traffic on its share of the CPU, and its clients see
that as tail latency while another worker idles.

Each worker here publishes how many connections it holds in a table shared by gunicorn's
children, and stops accepting while it holds more than the least loaded worker plus its
own thread count; a less loaded worker takes the connection, which the kernel keeps
queued meanwhile. A worker leaves the table when it stops accepting to shut down, and one
that stops publishing (hung, or killed) is left out after STALE_SECONDS, so it holds the
others back for seconds at most. The table is made when gunicorn's master imports this module,
before it forks the workers.

This relies on gthread's internals (`nr_conns`, `worker_connections`, `set_accept_enabled`)
of the gunicorn versions pyproject.toml allows; tests/e2e/test_worker_balance.py checks
it against the installed one.
"""

import multiprocessing
import time
from multiprocessing.sharedctypes import RawArray, RawValue

from gunicorn.workers.gthread import ThreadWorker

SLOTS = 128  # workers alive at once, the old and new ones of a reload included
# The loop publishes at least once a second (gthread waits at most 1 s for events).
STALE_SECONDS = 5.0
NO_SLOT = -1


class Board:
    """Each worker's open connections and when it last said so, in shared memory."""

    def __init__(self, slots: int = SLOTS) -> None:
        self._lock = multiprocessing.Lock()
        self._connections = RawArray("i", slots)
        self._heartbeats = RawArray("d", slots)  # time.monotonic(): one clock per host
        self._used = RawValue("i", 0)  # slots at or above this were never claimed

    def claim(self) -> int:
        """A slot of no live worker, or NO_SLOT when none is free (or the lock is stuck)."""
        if not self._lock.acquire(timeout=1.0):
            return NO_SLOT
        try:
            now = time.monotonic()
            for slot in range(len(self._heartbeats)):
                if now - self._heartbeats[slot] >= STALE_SECONDS:
                    self._connections[slot] = 0
                    self._heartbeats[slot] = now
                    self._used.value = max(self._used.value, slot + 1)
                    return slot
            return NO_SLOT
        finally:
            self._lock.release()

    def publish(self, slot: int, connections: int) -> None:
        self._connections[slot] = connections
        self._heartbeats[slot] = time.monotonic()

    def release(self, slot: int) -> None:
        self._heartbeats[slot] = 0.0

    def fewest(self) -> int:
        """The fewest connections any live worker holds."""
        used = self._used.value
        now = time.monotonic()
        live = [
            count
            for count, beat in zip(self._connections[:used], self._heartbeats[:used], strict=True)
            if now - beat < STALE_SECONDS
        ]
        return min(live, default=0)


board = Board()


class BalancedThreadWorker(ThreadWorker):
    """gthread, with `worker_connections` lowered to what it holds while over its share."""

    _slot = NO_SLOT

    @property
    def worker_connections(self) -> int:
        """Read by gthread's loop before each wait: below it, the worker accepts."""
        if self._slot == NO_SLOT:
            return self._max_connections
        board.publish(self._slot, self.nr_conns)
        if self.nr_conns > board.fewest() + self.cfg.threads:
            return self.nr_conns
        return self._max_connections

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        self._max_connections = value

    def run(self) -> None:
        # Claimed once the application is loaded: a booting worker would look least
        # loaded and hold the others back while it cannot accept yet.
        self._slot = board.claim()
        super().run()

    def set_accept_enabled(self, enabled: bool) -> None:
        if not self.alive and self._slot != NO_SLOT:
            board.release(self._slot)
            self._slot = NO_SLOT
        super().set_accept_enabled(enabled)
