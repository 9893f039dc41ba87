"""State every process of a deployment shares: counters, markers and locks for the proxy.

In production that is Redis (every web process and worker on every machine sees it). The
embedded default has no Redis but runs on one machine, so the same operations work on
small files under the data dir, guarded by file locks (flock: released by the kernel if
a process dies). Both raise StateUnavailable when they cannot be reached, so callers can
choose to go on without coordination rather than fail a download.
"""

import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import Protocol

import redis
from django.conf import settings
from filelock import FileLock, Timeout

from repository.redisclient import redis_client

_PREFIX = "larder:proxy:"
# Embedded lock files: one per bucket of keys, never deleted (deleting a lock file while
# another process waits on it would let two hold "the" lock). Two keys sharing a bucket
# only ever wait on each other.
_LOCK_BUCKETS = 4096
_GUARD_SECONDS = 10


class StateUnavailable(Exception):
    """Redis (or the data dir) did not answer."""


class Lock(Protocol):
    def acquire(self) -> bool:
        """Take the lock if free; never waits."""

    def extend(self) -> None:
        """Keep holding it for another `ttl` seconds (a long transfer)."""

    def release(self) -> None: ...


class SharedState(Protocol):
    def get(self, key: str) -> str | None: ...

    def get_many(self, *keys: str) -> list[str | None]:
        """Several values in one round trip."""

    def set(self, key: str, value: str, ttl: float) -> None: ...

    def add(self, key: str, value: str, ttl: float) -> bool:
        """Set only if absent; True if this call set it."""

    def incr(self, key: str, ttl: float) -> int:
        """Add one (from zero when absent); the key expires `ttl` seconds after."""

    def delete(self, *keys: str) -> None: ...

    def update(self, sets: dict[str, tuple[str, float]], deletes: tuple[str, ...] = ()) -> None:
        """Several sets (key: (value, ttl)) and deletes, in one round trip."""

    def lock(self, key: str, ttl: float) -> Lock:
        """A lock that frees itself after `ttl` seconds unless extended (Redis), or when
        its process ends (files)."""


class _RedisLock:
    def __init__(self, client: redis.Redis, key: str, ttl: float) -> None:
        self._ttl = ttl
        # Not thread-local: a leader may finish its transfer on another thread.
        self._lock = client.lock(
            _PREFIX + "lock:" + key, timeout=ttl, blocking=False, thread_local=False
        )

    def acquire(self) -> bool:
        try:
            return bool(self._lock.acquire(blocking=False))
        except redis.RedisError as exc:
            raise StateUnavailable(str(exc)) from exc

    def extend(self) -> None:
        try:
            self._lock.extend(self._ttl, replace_ttl=True)
        except redis.RedisError as exc:  # LockNotOwnedError too: it expired meanwhile
            raise StateUnavailable(str(exc)) from exc

    def release(self) -> None:
        # Expired (someone else may hold it now) or unreachable: it frees itself.
        with suppress(redis.RedisError):
            self._lock.release()


class RedisState:
    def __init__(self, client: redis.Redis) -> None:
        self._client = client

    def _call(self, method: str, *args, **kwargs):
        try:
            return getattr(self._client, method)(*args, **kwargs)
        except redis.RedisError as exc:
            raise StateUnavailable(str(exc)) from exc

    def get(self, key: str) -> str | None:
        value = self._call("get", _PREFIX + key)
        return value.decode() if value is not None else None

    def get_many(self, *keys: str) -> list[str | None]:
        if not keys:
            return []
        values = self._call("mget", [_PREFIX + key for key in keys])
        return [value.decode() if value is not None else None for value in values]

    def set(self, key: str, value: str, ttl: float) -> None:
        self._call("set", _PREFIX + key, value, px=max(1, int(ttl * 1000)))

    def add(self, key: str, value: str, ttl: float) -> bool:
        return bool(self._call("set", _PREFIX + key, value, px=max(1, int(ttl * 1000)), nx=True))

    def incr(self, key: str, ttl: float) -> int:
        pipe = self._client.pipeline()
        pipe.incr(_PREFIX + key)
        pipe.pexpire(_PREFIX + key, max(1, int(ttl * 1000)))
        try:
            count, _ = pipe.execute()
        except redis.RedisError as exc:
            raise StateUnavailable(str(exc)) from exc
        return int(count)

    def delete(self, *keys: str) -> None:
        self._call("delete", *(_PREFIX + key for key in keys))

    def update(self, sets: dict[str, tuple[str, float]], deletes: tuple[str, ...] = ()) -> None:
        pipe = self._client.pipeline(transaction=False)
        for key, (value, ttl) in sets.items():
            pipe.set(_PREFIX + key, value, px=max(1, int(ttl * 1000)))
        if deletes:
            pipe.delete(*(_PREFIX + key for key in deletes))
        try:
            pipe.execute()
        except redis.RedisError as exc:
            raise StateUnavailable(str(exc)) from exc

    def lock(self, key: str, ttl: float) -> Lock:
        return _RedisLock(self._client, key, ttl)


class _FileLock:
    def __init__(self, path: Path) -> None:
        self._lock = FileLock(path, preserve_lock_file=True, thread_local=False)

    def acquire(self) -> bool:
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return False
        except OSError as exc:
            raise StateUnavailable(str(exc)) from exc
        return True

    def extend(self) -> None:
        """Held until released or until the process ends: nothing to renew."""

    def release(self) -> None:
        self._lock.release()


class FileState:
    """One small JSON file per key, read and written under that key's file lock."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _digest(self, key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / "state" / self._digest(key)

    def _lock_file(self, key: str, kind: str) -> Path:
        """Short-held guards of the state files and long-held flight locks live apart, so
        a download in flight never holds up a counter."""
        bucket = int(self._digest(key)[:8], 16) % _LOCK_BUCKETS
        folder = self.root / kind
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateUnavailable(str(exc)) from exc
        return folder / f"{bucket:04d}.lock"

    @contextmanager
    def _guard(self, key: str) -> Iterator[None]:
        lock = FileLock(self._lock_file(key, "guards"), preserve_lock_file=True)
        try:
            lock.acquire(timeout=_GUARD_SECONDS)
        except Timeout as exc:
            raise StateUnavailable(f"{lock.lock_file} stayed locked") from exc
        try:
            yield
        finally:
            lock.release()

    def _read(self, key: str) -> str | None:
        try:
            entry = json.loads(self._path(key).read_text())
        except (FileNotFoundError, ValueError):
            return None
        return entry["value"] if entry["expires"] > time.time() else None

    def _write(self, key: str, value: str, ttl: float) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f"{path.name}.{uuid.uuid4().hex}")
        temp.write_text(json.dumps({"value": value, "expires": time.time() + ttl}))
        os.replace(temp, path)

    def get(self, key: str) -> str | None:
        return self._read(key)

    def get_many(self, *keys: str) -> list[str | None]:
        return [self._read(key) for key in keys]

    def set(self, key: str, value: str, ttl: float) -> None:
        with self._guard(key):
            self._write(key, value, ttl)

    def add(self, key: str, value: str, ttl: float) -> bool:
        with self._guard(key):
            if self._read(key) is not None:
                return False
            self._write(key, value, ttl)
            return True

    def incr(self, key: str, ttl: float) -> int:
        with self._guard(key):
            count = int(self._read(key) or 0) + 1
            self._write(key, str(count), ttl)
            return count

    def delete(self, *keys: str) -> None:
        for key in keys:
            with self._guard(key):
                self._path(key).unlink(missing_ok=True)

    def update(self, sets: dict[str, tuple[str, float]], deletes: tuple[str, ...] = ()) -> None:
        for key, (value, ttl) in sets.items():
            self.set(key, value, ttl)
        self.delete(*deletes)

    def lock(self, key: str, ttl: float) -> Lock:
        return _FileLock(self._lock_file(key, "flights"))


@cache
def _file_state(root: str) -> FileState:
    return FileState(Path(root))


def shared_state() -> SharedState:
    """Redis when configured (production), else files under the data dir (embedded)."""
    client = redis_client()
    if client is not None:
        return RedisState(client)
    return _file_state(str(Path(settings.DATA_DIR) / "proxy"))
