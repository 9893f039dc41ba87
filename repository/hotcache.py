"""Rows the hot read paths need, kept in each web process and checked with one Redis read.

A warm index page or download needs the repository, then the package or the asset: two
ORM queries that cost most of the request (bench/results/2026-11-27-vm-profile.md). With
Redis configured, each process keeps those rows, and Redis holds *stamps* saying whether
they are still current: one for the set of repositories (any repository saved or deleted
replaces it) and one per repository (anything its readers see changing replaces it).

A stamp is a random value, replaced, never incremented, so a Redis restart cannot bring
an old value back. A writer replaces it inside its transaction and again after commit; a
reader reads it before the database and keeps what it read under the value it saw. So a
row kept under the current stamp was read after the last committed change. Entries also
expire after LARDER_HOT_CACHE_SECONDS, which bounds the harm of a replacement that Redis
failed to take. Writes (anything but GET and HEAD) always read the database, and so does
everything when Redis is not configured or not answering.
"""

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import redis
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from repository.models import Asset, Package, Repository
from repository.redisclient import mget_quickly, redis_client

logger = logging.getLogger(__name__)

_REPOSITORIES_STAMP = "larder:stamp:repositories"
_READS = frozenset({"GET", "HEAD"})


# The stamps a request read its repository under: their keys, and their values joined.
Stamps = tuple[tuple[str, ...], str]


def _repository_stamp(repository_id: int) -> str:
    return f"larder:stamp:repository:{repository_id}"


def _row_stamps(repository_id: int) -> tuple[str, str]:
    """The keys a repository row is kept under: the listing's stamp and its own."""
    return _REPOSITORIES_STAMP, _repository_stamp(repository_id)


class _Entries:
    """A bounded LRU of key -> (stamp, expiry, value), shared by a process's threads."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, tuple[str, float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[str, float, Any] | None:
        """(stamp, expiry, value) kept under `key` unless expired; the caller compares the
        stamp."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[1] < time.monotonic():
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, stamp: str, value: Any) -> float:
        """Keep `value`; returns when it expires."""
        expiry = time.monotonic() + settings.LARDER_HOT_CACHE_SECONDS
        with self._lock:
            self._entries[key] = (stamp, expiry, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return expiry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_entries = _Entries(max_entries=10_000)


def clear() -> None:
    """Forget everything this process kept (tests; a process never needs to)."""
    _entries.clear()


def _read_stamps(*keys: str) -> list[str] | None:
    """The stamps under `keys`, creating missing ones; None when Redis is unavailable."""
    client = redis_client()
    if client is None:
        return None
    try:
        values = mget_quickly(client, keys)
        if None in values:
            for key, value in zip(keys, values, strict=True):
                if value is None:
                    client.set(key, secrets.token_hex(8), nx=True)
            values = mget_quickly(client, keys)
    except redis.RedisError:
        logger.warning("Redis unavailable: reading repository rows from the database")
        return None
    if None in values:
        return None
    return [value.decode() for value in values]


def _replace_stamp(key: str) -> None:
    client = redis_client()
    if client is None:
        return
    try:
        client.set(key, secrets.token_hex(8))
    except redis.RedisError:
        logger.warning(
            "Redis unavailable: other processes may serve %s's rows for up to %s s",
            key,
            settings.LARDER_HOT_CACHE_SECONDS,
        )


def _replace_now_and_on_commit(key: str) -> None:
    _replace_stamp(key)
    transaction.on_commit(lambda: _replace_stamp(key))


def repository_content_changed(repository_id: int) -> None:
    """Call in any write that changes what readers of the repository see."""
    _replace_now_and_on_commit(_repository_stamp(repository_id))


def repositories_changed() -> None:
    """Call when any repository is created, changed or deleted (a model signal does)."""
    _replace_now_and_on_commit(_REPOSITORIES_STAMP)


def _repository_saved_or_deleted(sender, instance: Repository, **kwargs) -> None:
    repositories_changed()
    repository_content_changed(instance.pk)


def connect_signals() -> None:
    post_save.connect(_repository_saved_or_deleted, sender=Repository)
    post_delete.connect(_repository_saved_or_deleted, sender=Repository)


def stamps_unchanged(stamps: Stamps) -> bool:
    """True while no change was committed since `stamps` were read (False without Redis)."""
    keys, joined = stamps
    current = _read_stamps(*keys)
    return current is not None and "/".join(current) == joined


def _used_until(request: HttpRequest, expiry: float) -> None:
    """Note that the request used a row kept until `expiry`: request.larder_fresh_until is
    the earliest, so an answer built from the rows is kept no longer than they are."""
    request.larder_fresh_until = min(getattr(request, "larder_fresh_until", expiry), expiry)


def find_repository(request: HttpRequest, name: str) -> Repository | None:
    """The repository named in the URL.

    Sets request.larder_stamp for the lookups below, and request.larder_stamps: the stamps
    the repository was read under, for answers kept until they change (responsecache.py).
    """
    request.larder_stamp = request.larder_stamps = None
    if request.method not in _READS:
        return Repository.objects.filter(name=name).first()
    key = ("repository", name)
    kept = _entries.get(key)
    if kept is not None:
        kept_stamp, expiry, repository = kept
        keys = _row_stamps(repository.pk)
        stamps = _read_stamps(*keys)
        if stamps is not None and "/".join(stamps) == kept_stamp:
            request.larder_stamp = stamps[1]
            request.larder_stamps = (keys, kept_stamp)
            _used_until(request, expiry)
            return repository
    listed = _read_stamps(_REPOSITORIES_STAMP)
    repository = Repository.objects.filter(name=name).first()
    if listed is None or repository is None:
        return repository
    content = _read_stamps(_repository_stamp(repository.pk))
    if content is None:
        return repository
    # The row holds the listing's generation too, so it is kept under both stamps, and
    # read again now that the content stamp (known only from the row's id) has been read.
    repository = Repository.objects.filter(pk=repository.pk).first()
    if repository is not None:
        joined = f"{listed[0]}/{content[0]}"
        _used_until(request, _entries.put(key, joined, repository))
        request.larder_stamp = content[0]
        request.larder_stamps = (_row_stamps(repository.pk), joined)
    return repository


def _remember(request: HttpRequest, key: tuple, load: Callable[[], Any]) -> Any:
    stamp = getattr(request, "larder_stamp", None)
    if stamp is None or request.method not in _READS:
        return load()
    key = (request.larder_repository.pk, *key)
    kept = _entries.get(key)
    if kept is not None and kept[0] == stamp:
        _used_until(request, kept[1])
        return kept[2]
    value = load()
    _used_until(request, _entries.put(key, stamp, value))
    return value


def find_package(request: HttpRequest, name: str) -> Package | None:
    """The package of this name (normalized by the caller) in the request's repository."""
    repository = request.larder_repository
    return _remember(
        request,
        ("package", name),
        lambda: Package.objects.filter(repository=repository, name=name).first(),
    )


def find_asset(request: HttpRequest, path: str) -> Asset | None:
    """The asset at `path` in the request's repository, with its blob."""
    repository = request.larder_repository
    return _remember(
        request,
        ("asset", path),
        lambda: (
            Asset.objects.select_related("blob").filter(repository=repository, path=path).first()
        ),
    )
