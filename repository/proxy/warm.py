"""Pre-filling a proxy's cache from a lock or requirements file, item by item, in a task.

The format reads the file into (name, version or None) items (Format.warm_items); the core
walks them as a client's first install would: the package's index fetched from the upstream
unless fresh (single flight, like a request's), then each file of the pinned version
fetched, verified against the index's digests and stored. An unpinned item warms the index
alone (which version an install picks is its resolver's choice). A format with no index
documents (generic files) names paths, each fetched as its first download would be. An
item that cannot be warmed is an error on the record; the walk goes on with the next.

Progress is a record in the shared state (Redis, or the data dir embedded), kept a day
under the warm's id and rewritten after each item, so the command line and the API can
show it while a worker walks. A task run again (acks_late) resumes after the last item
done; files already cached are never fetched twice.
"""

import json
import logging
import time
import uuid
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from repository.cache.rows import Reads
from repository.models import Asset, Repository
from repository.proxy.errors import UpstreamError
from repository.proxy.files import cache_whole
from repository.proxy.refresh import client_for, fetch_once, reader_of, settings_of
from repository.proxy.shared import shared_state
from repository.refusals import Refusal

logger = logging.getLogger("larder.proxy")

KEPT_SECONDS = 24 * 3600
INDEX_WAIT_SECONDS = 60.0
KEPT_ERRORS = 100

Item = tuple[str, str | None]


class Status(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"


@dataclass
class Warm:
    """One warm's progress, as the command line and the API show it."""

    id: str
    repository: str
    repository_id: int
    items_total: int
    status: str = Status.QUEUED
    items_done: int = 0
    files_fetched: int = 0
    bytes_fetched: int = 0
    files_present: int = 0  # already cached before this warm
    error_count: int = 0
    errors: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def over(self) -> bool:
        return self.status in (Status.FINISHED, Status.FAILED)

    def error(self, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < KEPT_ERRORS:
            self.errors.append(message)


def _save(warm: Warm) -> None:
    shared_state().set(f"warm:{warm.id}", json.dumps(asdict(warm)), KEPT_SECONDS)


def load(warm_id: str) -> Warm | None:
    """The warm's record while it is kept (a day), else None."""
    value = shared_state().get(f"warm:{warm_id}")
    return Warm(**json.loads(value)) if value else None


def record(repository: Repository, items: list[Item]) -> Warm:
    """A queued warm of `items` (StateUnavailable if the shared state cannot keep it)."""
    warm = Warm(uuid.uuid4().hex, repository.name, repository.pk, len(items))
    shared_state().set(f"warm-items:{warm.id}", json.dumps(items), KEPT_SECONDS)
    _save(warm)
    return warm


def run(warm_id: str) -> Warm | None:
    """The task's body: walk the items not done yet, saving progress after each."""
    warm = load(warm_id)
    if warm is None or warm.over:
        return warm
    items = json.loads(shared_state().get(f"warm-items:{warm_id}") or "[]")
    repository = Repository.objects.filter(
        pk=warm.repository_id, kind=Repository.Kind.PROXY
    ).first()
    warm.status = Status.RUNNING
    try:
        if repository is None:
            raise LookupError(f"{warm.repository} is no longer a proxy repository")
        walker = _Walker(repository)
        _save(warm)
        for name, version in items[warm.items_done :]:
            walker.item(warm, name, version)
            warm.items_done += 1
            _save(warm)
        warm.status = Status.FINISHED
    except Exception as exc:  # the record says why it stopped; the worker logs the rest
        warm.status = Status.FAILED
        warm.error(f"the warm stopped: {exc}")
        if not isinstance(exc, LookupError):
            logger.exception("warm %s of %s stopped", warm.id, warm.repository)
    finally:
        warm.finished = time.time()
        _save(warm)
    return warm


class _ItemFailed(Exception):
    """Why one item could not be warmed, in words for the record."""


class _Walker:
    def __init__(self, repository: Repository) -> None:
        from repository.sources import source_for  # the sources import the proxy core

        self.repository = repository
        self.settings = settings_of(repository)
        self.client = client_for(repository, self.settings)
        self.reader = reader_of(repository)
        self.source = source_for(repository, Reads(keep=False))

    def item(self, warm: Warm, name: str, version: str | None) -> None:
        label = f"{name} {version}" if version else name
        try:
            if self.reader.index_request(name) is None:
                assets = [self._file(name)]
            else:
                assets = self._version_files(name, version)
        except _ItemFailed as exc:
            warm.error(f"{label}: {exc}")
            return
        for asset in assets:
            if asset.cached:
                warm.files_present += 1
                continue
            try:
                blob = cache_whole(asset, self.client)
            except UpstreamError as exc:
                warm.error(f"{label}: {asset.filename}: {exc}")
                continue
            warm.files_fetched += 1
            warm.bytes_fetched += blob.size

    def _file(self, path: str) -> Asset:
        try:
            asset = self.source.asset(path)
        except Refusal as refused:
            raise _ItemFailed(refused.message) from None
        if asset is None:
            raise _ItemFailed("the upstream has no such file")
        return asset

    def _version_files(self, name: str, version: str | None) -> list[Asset]:
        if not self.settings.names.permits(name):
            raise _ItemFailed("the proxy's name rules never ask the upstream for it")
        try:
            package = fetch_once(self.repository, name, wait_seconds=INDEX_WAIT_SECONDS)
        except UpstreamError as exc:
            raise _ItemFailed(str(exc)) from None
        if package is None:
            raise _ItemFailed("the upstream has no such package")
        if version is None:
            return []
        found = package.versions.filter(version=version).first()
        if found is None:
            held = version in package.metadata.get("proxy", {}).get("held_back", [])
            raise _ItemFailed(
                "held back by the cooldown" if held else "the upstream has no such version"
            )
        return list(Asset.objects.filter(version=found).order_by("path"))
