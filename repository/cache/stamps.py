"""Change stamps: one per repository, replaced by every write its readers must see; one per
repository's own row (row_stamp), replaced when the row changes; and one for the set of
repositories (LISTING), replaced whenever any repository is saved or deleted.

A stamp is a random value, replaced and never incremented, so a restart or a restored
snapshot cannot bring back a value a reader still holds. With Redis configured the stamps
live there (every web process on every host reads the same ones); the embedded default, a
single host without Redis, keeps them as small files in the data directory, which every
process of the host reads just as well (a read is an open and a read of a few bytes).

Readers read a stamp before the rows they keep under it; writers replace it inside their
transaction and again after commit, so a row kept under the current stamp was read after
the last committed change.
"""

import contextlib
import logging
import os
import secrets
import tempfile
import time
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import redis
from django.conf import settings
from django.db import transaction

from repository.redisclient import redis_client

logger = logging.getLogger(__name__)

# The stamp every repository saved or deleted replaces, beside the repository's own.
LISTING = 0
# After a failed read, a process leaves Redis alone this long: one warning rather than one
# per request, and no request waits out a timeout meanwhile. Writes still try.
REDIS_RETRY_SECONDS = 1.0


def _new_value() -> str:
    return secrets.token_hex(8)


class RedisStamps:
    key_prefix = "larder:stamp:repository:"

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self._skipped_until = 0.0

    def read(self, repository_ids: Sequence[int]) -> list[str] | None:
        """The stamps, creating missing ones; None when Redis is unavailable."""
        if time.monotonic() < self._skipped_until:
            return None
        keys = [f"{self.key_prefix}{pk}" for pk in repository_ids]
        try:
            values = self.client.mget(keys)
            if None in values:
                for key, value in zip(keys, values, strict=True):
                    if value is None:
                        self.client.set(key, _new_value(), nx=True)
                values = self.client.mget(keys)
        except redis.RedisError:
            self._skipped_until = time.monotonic() + REDIS_RETRY_SECONDS
            logger.warning(
                "Redis unavailable: reading repository rows from the database for %s s",
                REDIS_RETRY_SECONDS,
            )
            return None
        if None in values:
            return None
        return [value.decode() for value in values]

    def replace(self, repository_id: int) -> None:
        try:
            self.client.set(f"{self.key_prefix}{repository_id}", _new_value())
        except redis.RedisError:
            logger.warning(
                "Redis unavailable: other processes may serve repository %s's rows for up to %s s",
                repository_id,
                settings.LARDER_HOT_CACHE_SECONDS,
            )

    def forget_failures(self) -> None:
        self._skipped_until = 0.0


def _read_small(path: str) -> str:
    """A stamp file's value: os calls, since a warm request reads one and pathlib's
    read_text costs four times as much."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 64).decode()
    finally:
        os.close(fd)


class FileStamps:
    """Stamps as files named by repository id; replaced by an atomic rename."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, repository_id: int) -> str:
        return f"{self.folder}/{repository_id}"

    def _write(self, repository_id: int, *, replace: bool) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".stamp-")
        try:
            os.write(fd, _new_value().encode())
            os.close(fd)
            if replace:
                os.replace(temporary, self._path(repository_id))
            else:  # another process may have made it first: theirs stands
                with contextlib.suppress(FileExistsError):
                    os.link(temporary, self._path(repository_id))
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)

    def _read_one(self, repository_id: int) -> str:
        path = self._path(repository_id)
        try:
            return _read_small(path)
        except FileNotFoundError:
            self._write(repository_id, replace=False)
            return _read_small(path)

    def read(self, repository_ids: Sequence[int]) -> list[str] | None:
        try:
            return [self._read_one(pk) for pk in repository_ids]
        except OSError:
            logger.exception("Stamp files unreadable: reading rows from the database")
            return None

    def replace(self, repository_id: int) -> None:
        try:
            self._write(repository_id, replace=True)
        except OSError:
            logger.exception(
                "Could not replace the stamp of repository %s: other processes may serve its "
                "rows for up to %s s",
                repository_id,
                settings.LARDER_HOT_CACHE_SECONDS,
            )

    def forget_failures(self) -> None:
        pass


@cache
def _stamps_for(redis_url: str, data_dir: str) -> RedisStamps | FileStamps:
    client = redis_client()
    if client is not None:
        return RedisStamps(client)
    return FileStamps(Path(data_dir) / "stamps")


def stamps() -> RedisStamps | FileStamps:
    """The deployment's stamps: Redis when configured, else files in the data directory."""
    return _stamps_for(settings.REDIS_URL, str(settings.DATA_DIR))


def row_stamp(repository_id: int) -> int:
    """The stamp a repository's own row is kept under, apart from its content's (the rows
    of its packages and assets, keyed by its id): a proxy filling one file after another
    replaces the content stamp each time, and every process would otherwise read the
    repository's row again on its next request. Negative, beside LISTING (0)."""
    return -repository_id


def _replace(stamp_id: int) -> None:
    """Replaced now and, inside a transaction, again after commit: a row kept under the
    current stamp was read after the last committed change. (Outside one, on_commit would
    run at once and replace it twice.)"""
    store = stamps()
    store.replace(stamp_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: store.replace(stamp_id))


def repository_content_changed(repository_id: int) -> None:
    """Call in any write that changes what readers of the repository see."""
    _replace(repository_id)


def repository_row_changed(repository_id: int) -> None:
    """Call in any write to the repository's own row (saved, deleted, its generation)."""
    _replace(row_stamp(repository_id))
