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
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from repository.costcache import CostBoundedCache
from repository.models import Asset, Package, Repository
from repository.redisclient import mget_quickly, redis_client

logger = logging.getLogger(__name__)

_REPOSITORIES_STAMP = "larder:stamp:repositories"
_READS = frozenset({"GET", "HEAD"})
# After a failed stamp read, a process reads the database without asking Redis for this
# long: one warning rather than one per request, and the requests of that time do not
# wait for an unreachable Redis. Writes still try to replace their stamps.
_REDIS_RETRY_SECONDS = 1.0
_redis_skipped_until = 0.0


# The stamps a request read its repository under: their keys, and their values joined.
Stamps = tuple[tuple[str, ...], str]


def _repository_stamp(repository_id: int) -> str:
    return f"larder:stamp:repository:{repository_id}"


def _row_stamps(repository_id: int) -> tuple[str, str]:
    """The keys a repository row is kept under: the listing's stamp and its own."""
    return _REPOSITORIES_STAMP, _repository_stamp(repository_id)


@dataclass(frozen=True)
class _Kept:
    """A row kept under the stamp(s) it was read under, until `expiry` (time.monotonic)."""

    stamp: str
    expiry: float
    value: Any
    cost: int = 1  # the cache below counts entries


_MAX_ENTRIES = 10_000
_entries: CostBoundedCache[_Kept] = CostBoundedCache(_MAX_ENTRIES, max_entries=_MAX_ENTRIES)


def _kept(key: tuple) -> _Kept | None:
    """What is kept under `key` unless expired; the caller compares the stamp."""
    kept = _entries.get(key)
    return kept if kept is not None and kept.expiry >= time.monotonic() else None


def _keep(key: tuple, stamp: str, value: Any) -> float:
    """Keep `value`; returns when it expires."""
    expiry = time.monotonic() + settings.LARDER_HOT_CACHE_SECONDS
    _entries.put(key, _Kept(stamp, expiry, value))
    return expiry


def clear() -> None:
    """Forget everything this process kept (tests; a process never needs to)."""
    global _redis_skipped_until
    _entries.clear()
    _redis_skipped_until = 0.0


def _read_stamps(*keys: str) -> list[str] | None:
    """The stamps under `keys`, creating missing ones; None when Redis is unavailable."""
    global _redis_skipped_until
    client = redis_client()
    if client is None or time.monotonic() < _redis_skipped_until:
        return None
    try:
        values = mget_quickly(client, keys)
        if None in values:
            for key, value in zip(keys, values, strict=True):
                if value is None:
                    client.set(key, secrets.token_hex(8), nx=True)
            values = mget_quickly(client, keys)
    except redis.RedisError:
        _redis_skipped_until = time.monotonic() + _REDIS_RETRY_SECONDS
        logger.warning(
            "Redis unavailable: reading repository rows from the database for %s s",
            _REDIS_RETRY_SECONDS,
        )
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
    kept = _kept(key)
    if kept is not None:
        keys = _row_stamps(kept.value.pk)
        stamps = _read_stamps(*keys)
        if stamps is not None and "/".join(stamps) == kept.stamp:
            request.larder_stamp = stamps[1]
            request.larder_stamps = (keys, kept.stamp)
            _used_until(request, kept.expiry)
            return kept.value
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
        _used_until(request, _keep(key, joined, repository))
        request.larder_stamp = content[0]
        request.larder_stamps = (_row_stamps(repository.pk), joined)
    return repository


def _remember(request: HttpRequest, key: tuple, load: Callable[[], Any]) -> Any:
    stamp = getattr(request, "larder_stamp", None)
    if stamp is None or request.method not in _READS:
        return load()
    key = (request.larder_repository.pk, *key)
    kept = _kept(key)
    if kept is not None and kept.stamp == stamp:
        _used_until(request, kept.expiry)
        return kept.value
    value = load()
    _used_until(request, _keep(key, stamp, value))
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
