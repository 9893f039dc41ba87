"""gunicorn's threaded worker, taking new connections only while it holds no more than
its share of them.

All of gunicorn's workers wait on one listening socket, and whichever wakes first takes
the next connection. Keep-alive clients (the connection pools of pip, uv and npm, a load
balancer's upstream pool) then stay with the worker they landed on. A burst of them can
leave one worker with half and another with none (seen on the bench: 31, 23, 10 and 0 of
64). The busy worker serves half the traffic on its share of the CPU, and its clients see
that as tail latency while another worker idles.

Each worker here publishes, in a table shared by gunicorn's children, how many
connections it holds and how many of its threads are busy. It stops accepting while every
thread of its own is busy and another worker has one free, or while it holds more than the
least loaded worker with a thread free plus its own thread count. Another worker takes the
connection, which the kernel keeps queued meanwhile; a worker that stopped accepting looks
again every RECHECK_SECONDS. A worker leaves the table as soon as it starts shutting down
(however long it then drains) or its loop ends, and one that stops publishing (hung, or
killed) is left out after STALE_SECONDS, so it holds the others back for seconds at most.
The table is made when gunicorn's master imports this module, before it forks.

This relies on gthread's internals (`nr_conns`, `keepalived_conns`, `pending_conns`,
`_accepting`, `worker_connections`, `set_accept_enabled`, `wait_for_and_dispatch_events`)
of the gunicorn versions pyproject.toml allows; tests/e2e/test_worker_balance.py checks
them against the installed one.
"""

import fcntl
import tempfile
import time
from collections.abc import Callable
from multiprocessing.sharedctypes import RawArray, RawValue

from gunicorn.workers.gthread import ThreadWorker

SLOTS = 128  # workers alive at once, the old and new ones of a reload included
# The loop publishes at least once a second (gthread waits at most 1 s for events).
STALE_SECONDS = 5.0
RECHECK_SECONDS = 0.05
NO_SLOT = -1
FREE = 0.0  # the heartbeat of a slot no worker holds


class Board:
    """Per worker: its pid, open connections, busy threads, and when it last said so.

    Shared memory, inherited through fork. Claims are serialised by a POSIX record lock,
    which the kernel drops if its holder dies.
    """

    def __init__(self, slots: int = SLOTS, clock: Callable[[], float] = time.monotonic):
        self._clock = clock  # time.monotonic: one clock for every process of the host
        self._lockfile = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the board
        self._owners = RawArray("i", slots)
        self._connections = RawArray("i", slots)
        self._busy = RawArray("i", slots)
        self._heartbeats = RawArray("d", slots)
        self._used = RawValue("i", 0)  # slots at or above this were never claimed

    def claim(self, pid: int) -> int:
        """A slot no live worker holds, or NO_SLOT when all are taken."""
        fcntl.lockf(self._lockfile, fcntl.LOCK_EX)
        try:
            now = self._clock()
            for slot, beat in enumerate(self._heartbeats):
                if beat == FREE or now - beat >= STALE_SECONDS:
                    self._owners[slot] = pid
                    self._used.value = max(self._used.value, slot + 1)
                    self.publish(slot, pid, connections=0, busy=0)
                    return slot
            return NO_SLOT
        finally:
            fcntl.lockf(self._lockfile, fcntl.LOCK_UN)

    def publish(self, slot: int, pid: int, *, connections: int, busy: int) -> bool:
        """False, writing nothing, when the slot went to another worker meanwhile (this
        one was silent for STALE_SECONDS)."""
        if self._owners[slot] != pid:
            return False
        self._connections[slot] = connections
        self._busy[slot] = busy
        self._heartbeats[slot] = self._clock()
        return True

    def release(self, slot: int, pid: int) -> None:
        if self._owners[slot] == pid:
            self._heartbeats[slot] = FREE

    def live(self) -> list[tuple[int, int]]:
        """(connections, busy threads) of each worker that spoke within STALE_SECONDS."""
        used = self._used.value
        now = self._clock()
        return [
            (count, busy)
            for count, busy, beat in zip(
                self._connections[:used], self._busy[:used], self._heartbeats[:used], strict=True
            )
            if beat != FREE and now - beat < STALE_SECONDS
        ]

    def share(self, threads: int) -> tuple[int, bool]:
        """The fewest connections a live worker with a thread free holds (of any live
        worker when none has one), and whether one has."""
        live = self.live()
        free = [count for count, busy in live if busy < threads]
        return min(free or [count for count, _ in live], default=0), bool(free)


board = Board()


class BalancedThreadWorker(ThreadWorker):
    """gthread, with `worker_connections` lowered to what it holds while over its share."""

    _slot = NO_SLOT

    @property
    def worker_connections(self) -> int:
        """Read by gthread's loop before each wait: below it, the worker accepts."""
        if self._slot == NO_SLOT:
            return self._max_connections
        threads = self.cfg.threads
        busy = self.nr_conns - len(self.keepalived_conns) - len(self.pending_conns)
        if not board.publish(self._slot, self.pid, connections=self.nr_conns, busy=busy):
            self._slot = self._claim()
            return self._max_connections
        fewest, others_free = board.share(threads)
        if (busy >= threads and others_free) or self.nr_conns > fewest + threads:
            return self.nr_conns
        return self._max_connections

    @worker_connections.setter
    def worker_connections(self, value: int) -> None:
        self._max_connections = value

    def _claim(self) -> int:
        slot = board.claim(self.pid)
        if slot == NO_SLOT:
            self.log.warning("All %d slots taken: this worker takes any connection", SLOTS)
        return slot

    def run(self) -> None:
        # Claimed once the application is loaded: a booting worker would look least
        # loaded and hold the others back while it cannot accept yet.
        self._slot = self._claim()
        try:
            super().run()
        finally:  # a quit, an abort (the arbiter's timeout) or an error ends it too
            self._release()

    def _release(self) -> None:
        if self._slot != NO_SLOT:
            board.release(self._slot, self.pid)
            self._slot = NO_SLOT

    def set_accept_enabled(self, enabled: bool) -> None:
        if not self.alive:  # stopping: it will accept nothing more, however long it drains
            self._release()
        super().set_accept_enabled(enabled)

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        if not self._accepting and self._slot != NO_SLOT:
            timeout = min(timeout, RECHECK_SECONDS)  # the share may have changed meanwhile
        super().wait_for_and_dispatch_events(timeout)
