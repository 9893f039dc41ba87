"""Rows the hot read paths need, kept per web process under their repository's stamp.

A warm index page or download needs the repository, then the package or the asset: two
ORM queries that cost most of such a request (bench/results/2026-11-27-vm-profile.md).
Each process keeps those rows under the stamp (stamps.py) its repository had when they
were read, and uses them while the stamp is unchanged: one stamp read per request instead
of the queries. Entries also expire after LARDER_HOT_CACHE_SECONDS, which bounds the harm of
a replacement that failed. Writes (anything but GET and HEAD) always read the database,
and so does every request while the stamps cannot be read.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from repository.cache.memory import MemoryCache
from repository.cache.stamps import LISTING, row_stamp, stamps
from repository.models import Asset, Package, Repository

MAX_ROWS = 10_000


@dataclass
class Reads:
    """What one request read through this cache: the stamps it relied on (repository id ->
    value) and until when rows built from them may be kept (time.monotonic). The answer
    cache keeps an answer under exactly these."""

    keep: bool
    stamps: dict[int, str] = field(default_factory=dict)
    fresh_until: float = math.inf

    @classmethod
    def for_method(cls, method: str) -> "Reads":
        return cls(keep=method in ("GET", "HEAD"))

    def stamp(self, *repository_ids: int) -> str | None:
        """The stamps of these repositories (stamps.LISTING included), each read once per
        request and joined; None when unreadable."""
        missing = [pk for pk in repository_ids if pk not in self.stamps]
        if missing:
            found = stamps().read(missing)
            if found is None:
                return None
            self.stamps.update(zip(missing, found, strict=True))
        return "/".join(self.stamps[pk] for pk in repository_ids)

    def used_until(self, expiry: float) -> None:
        self.fresh_until = min(self.fresh_until, expiry)

    @property
    def cacheable(self) -> bool:
        """Whether an answer built from these reads may be kept (every row was validated)."""
        return self.keep and bool(self.stamps) and self.fresh_until < math.inf


@dataclass(frozen=True)
class _Kept:
    stamp: str
    expiry: float
    value: Any


_rows: MemoryCache[_Kept] = MemoryCache(MAX_ROWS)


def clear() -> None:
    """Forget every kept row (tests; a process never needs to)."""
    _rows.clear()
    stamps().forget_failures()


def _kept(key: tuple, stamp: str | None, reads: Reads) -> _Kept | None:
    kept = _rows.get(key)
    if kept is None or stamp is None or kept.stamp != stamp:
        return None
    if kept.expiry < time.monotonic():
        return None
    reads.used_until(kept.expiry)
    return kept


def _keep(key: tuple, stamp: str, value: Any, reads: Reads) -> None:
    expiry = time.monotonic() + settings.LARDER_HOT_CACHE_SECONDS
    _rows.put(key, _Kept(stamp, expiry, value))
    reads.used_until(expiry)


def find_repository(reads: Reads, name: str) -> Repository | None:
    """The repository named in the URL.

    Its row is kept under two stamps: its row's own (not its content's), and the
    listing's, which any repository saved or deleted replaces (so a name deleted and made
    again, even behind Django's back, is read anew).
    """
    if not reads.keep:
        return Repository.objects.filter(name=name).first()
    key = ("repository", name)
    remembered = _rows.get(key)
    if remembered is not None:
        kept = _kept(key, reads.stamp(LISTING, row_stamp(remembered.value.pk)), reads)
        if kept is not None:
            return kept.value
        # Most often only the row changed: the row it was still bears the name.
        repository = _row(reads, key, remembered.value.pk, name)
        if repository is not None:
            return repository
    found = Repository.objects.filter(name=name).values_list("pk", flat=True).first()
    return _row(reads, key, found, name) if found is not None else None


def _row(reads: Reads, key: tuple, pk: int, name: str) -> Repository | None:
    """The repository row `pk` if it is named `name`, kept under its stamps, which are
    read first: a change committed in between replaces them."""
    stamp = reads.stamp(LISTING, row_stamp(pk))
    repository = Repository.objects.filter(pk=pk, name=name).first()
    if repository is not None and stamp is not None:
        _keep(key, stamp, repository, reads)
    return repository


def _remember(reads: Reads, repository: Repository, key: tuple, load: Callable[[], Any]) -> Any:
    if not reads.keep:
        return load()
    key = (repository.pk, *key)
    stamp = reads.stamp(repository.pk)
    kept = _kept(key, stamp, reads)
    if kept is not None:
        return kept.value
    value = load()
    if stamp is not None:
        _keep(key, stamp, value, reads)
    return value


def find_package(reads: Reads, repository: Repository, name: str) -> Package | None:
    """The package of this (normalized) name in the repository."""
    return _remember(
        reads,
        repository,
        ("package", name),
        lambda: Package.objects.filter(repository=repository, name=name).first(),
    )


def find_asset(reads: Reads, repository: Repository, path: str) -> Asset | None:
    """The asset at `path` in the repository, with its blob."""
    return _remember(
        reads,
        repository,
        ("asset", path),
        lambda: (
            Asset.objects.select_related("blob").filter(repository=repository, path=path).first()
        ),
    )
