"""Celery tasks of the core. They take primary keys, re-check state, and are safe to rerun."""

from dataclasses import asdict

from celery import shared_task
from django.core.cache import cache

from repository.cache.copies import compress_ahead
from repository.cache.documents import warming_marker
from repository.cache.rows import Reads
from repository.counters import flush_download_counts
from repository.formats import get_format
from repository.models import Package
from repository.proxy import warm
from repository.proxy.readahead import read_ahead
from repository.proxy.refresh import refresh_in_background
from repository.retention.gc import collect_garbage
from repository.sources import source_for

_GC_LOCK = "lock:blob-gc"


@shared_task(acks_late=True)
def collect_blob_garbage() -> dict:
    """Hourly (beat); one run at a time across the deployment."""
    if not cache.add(_GC_LOCK, "1", timeout=3600):
        return {"skipped": "another collection is running"}
    try:
        return asdict(collect_garbage())
    finally:
        cache.delete(_GC_LOCK)


@shared_task(acks_late=True)
def flush_downloads() -> int:
    """Every minute (beat): buffered download counts into the database."""
    return flush_download_counts()


@shared_task(acks_late=True)
def warm_package_documents(package_id: int, generation: int) -> None:
    """After a write to a package: its documents rendered before a client asks for them.

    Skipped when a later write has superseded `generation` (its own call will render), so
    a burst of publishes renders once; a write queues one call per change it makes, and
    only the first for a generation renders.
    """
    package = Package.objects.select_related("repository").filter(pk=package_id).first()
    if package is None or package.generation != generation:
        return
    if not cache.add(warming_marker(package_id, str(generation)), "1", 300):
        return
    source = source_for(package.repository, Reads(keep=False))
    specs = get_format(package.repository.format).warmed_documents(package)
    compress_ahead([source.stored(spec, package) for spec in specs])


@shared_task(acks_late=True)
def refresh_proxied_package(repository_id: int, name: str) -> None:
    """A proxy's stale copy of a package's index, refreshed from its upstream (queued by
    the request that served it stale; one at a time per package deployment-wide)."""
    refresh_in_background(repository_id, name)


@shared_task(acks_late=True)
def read_ahead_of_client(
    repository_id: int, names: list[str], paths: list[str], depth: int = 1
) -> None:
    """What a client that just read a package through a proxy asks for next, fetched
    first (queued by the request that mirrored the package, `depth` levels above)."""
    read_ahead(repository_id, names, paths, depth)


@shared_task(acks_late=True)
def warm_proxy_cache(warm_id: str) -> str:
    """A proxy's cache filled from a lock file's items (`larder proxy warm`, the API);
    progress on the warm's record, resumed where it stopped if run again."""
    done = warm.run(warm_id)
    return done.status if done is not None else "no such warm"
