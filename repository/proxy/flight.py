"""Single flight: N callers wanting the same uncached thing cause one upstream fetch.

Across processes and machines, through a lock in the shared state (Redis; a file lock
when embedded). The first caller takes the lock and fetches; the others poll the cache
until it appears, the lock frees (the leader failed: one of them takes over), or their
bounded wait runs out (StillInFlight: the caller decides, e.g. 504 or a pass-through).

A leader that streams a file to its client while storing it keeps the lock for the whole
transfer: `await_turn()` hands it a Leader to `extend()` as bytes flow and `release()` at
the end. Documents use `single_flight()`, which does all of that around one function.

When the shared state is unreachable the caller fetches uncoordinated: a few duplicate
upstream requests beat failing installs.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from repository.proxy.errors import UpstreamTimeout
from repository.proxy.shared import Lock, StateUnavailable, shared_state

logger = logging.getLogger("larder.proxy.flight")

T = TypeVar("T")
WAIT_SECONDS = 30.0
LOCK_SECONDS = 60.0
# Short at first: a read-ahead fetch a client's request meets often ends within milliseconds.
_FIRST_POLL = 0.005
_LONGEST_POLL = 0.25


class StillInFlight(UpstreamTimeout):
    """Another process is still fetching it, past the bounded wait."""

    reason = "in_flight"


class Leader:
    """This caller fetches; it holds the lock until release() (or until it lapses)."""

    def __init__(self, key: str, lock: Lock | None, lock_seconds: float) -> None:
        self.key = key
        self._lock = lock
        self._every = lock_seconds / 3
        self._renewed = time.monotonic()

    def extend(self) -> None:
        """Call as often as convenient while fetching: renews at most every third of the
        lock's life."""
        if self._lock is None or time.monotonic() - self._renewed < self._every:
            return
        try:
            self._lock.extend()
        except StateUnavailable:
            logger.warning("single flight %s: could not extend the lock", self.key)
        self._renewed = time.monotonic()

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "Leader":
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()


@dataclass(frozen=True)
class Turn(Generic[T]):
    """Either the cached value (someone fetched it) or the lead (fetch it yourself)."""

    value: T | None = None
    leader: Leader | None = None


def await_turn(
    key: str,
    cached: Callable[[], T | None],
    *,
    wait_seconds: float = WAIT_SECONDS,
    lock_seconds: float = LOCK_SECONDS,
) -> Turn[T]:
    """The cached value, or the lead once no one else is fetching `key`.

    Callers come here having just missed the cache, so the lock is tried first and the
    cache looked at under it (a leader may have finished meanwhile)."""
    lock = shared_state().lock("flight:" + key, lock_seconds)
    deadline = time.monotonic() + wait_seconds
    pause = _FIRST_POLL
    while True:
        try:
            taken = lock.acquire()
        except StateUnavailable as exc:
            logger.warning("single flight %s: shared state unavailable (%s)", key, exc)
            return Turn(leader=Leader(key, None, lock_seconds))
        if taken:
            found = cached()  # a leader may have finished between our look and the lock
            if found is not None:
                lock.release()
                return Turn(value=found)
            return Turn(leader=Leader(key, lock, lock_seconds))
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise StillInFlight(f"{key}: still being fetched after {wait_seconds:g} s")
        time.sleep(min(pause, remaining))
        pause = min(pause * 2, _LONGEST_POLL)
        found = cached()
        if found is not None:
            return Turn(value=found)


def single_flight(
    key: str,
    cached: Callable[[], T | None],
    fetch: Callable[[], T],
    *,
    wait_seconds: float = WAIT_SECONDS,
    lock_seconds: float = LOCK_SECONDS,
) -> T:
    """`cached()` if set, else `fetch()` by one caller at a time deployment-wide.

    `fetch` must leave its result where `cached` finds it before it returns.
    """
    turn = await_turn(key, cached, wait_seconds=wait_seconds, lock_seconds=lock_seconds)
    if turn.leader is None:
        return turn.value
    with turn.leader:
        return fetch()
