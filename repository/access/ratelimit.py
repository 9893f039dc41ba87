"""Failed sign-ins, counted per client address and per user name, across all web processes.

Each failed password (UI login, HTTP Basic) or unknown token adds one to two counters in
Redis, `address` and `user name`, that expire a window after their first failure. When
either reaches its threshold the pair is locked out for a while: attempts are then refused
with 429 and `Retry-After` *before* the password is checked, so a locked-out attempt learns
nothing (right or wrong password, existing user or not, the answer is the same).

Successful requests are never slowed: a valid token is never counted or checked, and a
password verified in the last minute (the credentials cache) is accepted without asking.

Embedded (no Redis), the counters live in the process: each web process counts alone.
If Redis fails, this process counts alone until it answers again.
"""

import hashlib
import logging
import threading
import time
from dataclasses import dataclass

import redis
from django.conf import settings

from repository.redisclient import redis_client
from repository.refusals import Refusal

logger = logging.getLogger(__name__)


class LockedOut(Refusal):
    """Too many failed attempts: try again in `retry_after` seconds. The same answer
    whatever the credentials were; dispatch renders it in the format's shape (429)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429,
            f"too many failed sign-ins; try again in {retry_after} seconds",
            label="locked-out",
            headers={"Retry-After": str(retry_after)},
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class Subject:
    """Who is trying: the client's address and the user name it claims (may be empty)."""

    address: str
    username: str = ""

    def counter_keys(self) -> list[str]:
        keys = [f"larder:auth:fail:addr:{self.address}"]
        if self.username:
            digest = hashlib.sha256(self.username.lower().encode()).hexdigest()[:32]
            keys.append(f"larder:auth:fail:user:{digest}")
        return keys


def _thresholds(key: str) -> int:
    if ":addr:" in key:
        return settings.LARDER_LOGIN_FAILURES_PER_ADDRESS
    return settings.LARDER_LOGIN_FAILURES_PER_USER


class _LocalCounters:
    """The embedded fallback: {key: (count, expires_at)} for this process only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[int, float]] = {}

    def add(self, key: str, window: int) -> None:
        now = time.monotonic()
        with self._lock:
            count, expires = self._entries.get(key, (0, now + window))
            if expires <= now:
                count, expires = 0, now + window
            self._entries[key] = (count + 1, expires)

    def lock(self, key: str, seconds: int) -> None:
        with self._lock:
            self._entries[key] = (1, time.monotonic() + seconds)

    def remaining(self, key: str) -> tuple[int, float]:
        """(count, seconds left) of a live entry, (0, 0) otherwise."""
        now = time.monotonic()
        with self._lock:
            count, expires = self._entries.get(key, (0, now))
            return (count, expires - now) if expires > now else (0, 0)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


local_counters = _LocalCounters()


def _redis():
    try:
        return redis_client()
    except redis.RedisError:
        return None


def _seconds_locked(client, lock_key: str) -> float:
    """Seconds left on a lock: Redis's when it answers, else this process's own."""
    if client is not None:
        try:
            return client.ttl(lock_key)
        except redis.RedisError:
            pass
    return local_counters.remaining(lock_key)[1]


def retry_after(subject: Subject) -> int | None:
    """Seconds until this subject may try again, or None when it is not locked out."""
    client = _redis()
    waits = [_seconds_locked(client, key + ":locked") for key in subject.counter_keys()]
    longest = max(waits, default=0)
    return max(1, round(longest)) if longest > 0 else None


def _count_in_redis(client, key: str, window: int, lockout: int) -> bool:
    """One more failure in Redis, locking at the threshold; False when Redis failed."""
    try:
        pipeline = client.pipeline()
        pipeline.set(key, 0, ex=window, nx=True)  # the window starts at the first failure
        pipeline.incr(key)
        count = pipeline.execute()[1]
        if count >= _thresholds(key):
            client.set(key + ":locked", 1, ex=lockout)
        return True
    except redis.RedisError as exc:
        logger.warning("Redis unavailable: counting failed sign-ins locally (%s)", exc)
        return False


def record_failure(subject: Subject) -> None:
    """Count one failed attempt; lock the subject out once a threshold is reached."""
    window = settings.LARDER_LOGIN_FAILURE_WINDOW_SECONDS
    lockout = settings.LARDER_LOGIN_LOCKOUT_SECONDS
    client = _redis()
    for key in subject.counter_keys():
        if client is not None and _count_in_redis(client, key, window, lockout):
            continue
        local_counters.add(key, window)
        if local_counters.remaining(key)[0] >= _thresholds(key):
            local_counters.lock(key + ":locked", lockout)
