"""Reading ahead: fetching what a client is about to ask a proxy for, before it asks.

npm resolves a dependency tree one packument at a time and downloads the tarballs after,
so a cold install through a proxy waits on the upstream once per package, in a row. A
proxy that has just mirrored a package for a client knows much of what comes next (the
format's reader says what: for npm, the packages `latest` depends on, and its tarball).
A Celery task fetches those as a client's request would (single flight, the name rules,
the breaker), packuments first, and reads ahead of each package it mirrors in turn; the
client then mostly finds its next packument mirrored and its tarballs stored.

Only a fetch a package client's request caused reads ahead (not the web UI, not a
background refresh of a stale copy, not `larder proxy warm`), at most READ_AHEAD_DEPTH
levels below it, never in offline mode or with the repository's `read_ahead` setting
off, and never for what is stored, known missing, or being fetched by another process
(the task never waits). A guess that proves wrong (the client resolves an older version)
costs an upstream request per package and, for a file, its bytes in the blob store.
"""

import logging

from repository.formats import get_format
from repository.models import Asset, Package, Repository
from repository.proxy import freshness
from repository.proxy.errors import UpstreamError
from repository.proxy.files import cache_whole
from repository.proxy.refresh import client_for, fetch_once, settings_of

logger = logging.getLogger("larder.proxy")


def read_ahead(repository_id: int, names: list[str], paths: list[str], depth: int) -> None:
    """The task's body: the packages' index documents first (a client asks for those
    first), then the files; each skipped if another process is fetching it already.
    `depth`: how many levels below what the client asked for these are."""
    repository = Repository.objects.filter(pk=repository_id, kind=Repository.Kind.PROXY).first()
    if repository is None:
        return
    settings = settings_of(repository)
    if not settings.read_ahead or settings.offline:
        return
    fmt = get_format(repository.format)
    wanted = {fmt.normalize_name(name) for name in names}
    stored = Package.objects.filter(repository=repository, name__in=wanted)
    for name in sorted(wanted - set(stored.values_list("name", flat=True))):
        if not settings.names.permits(name) or freshness.known_missing(repository, name):
            continue
        try:
            fetch_once(repository, name, wait_seconds=0, read_ahead=depth)
        except UpstreamError as exc:
            logger.info("read ahead of %s in %s skipped: %s", name, repository.name, exc)
    client = client_for(repository, settings)
    for asset in Asset.objects.filter(repository=repository, path__in=paths, blob__isnull=True):
        try:
            cache_whole(asset, client, wait_seconds=0)
        except UpstreamError as exc:
            logger.info("read ahead of %s in %s skipped: %s", asset.path, repository.name, exc)
