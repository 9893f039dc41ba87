"""Fetching a package's index document from the upstream and mirroring it into rows.

Called in the request for a package never fetched (single flight: one fetch for every
process asking at once), and by a Celery task for a stale one (stale-while-revalidate:
the request is answered from the rows at once, and one refresh runs deployment-wide).
Conditional requests carry the validators the upstream sent last time; a 304 only marks
the copy fresh.
"""

import logging
import time
from contextlib import suppress

from repository.formats import get_format
from repository.models import Package, Repository
from repository.proxy import freshness
from repository.proxy.client import UpstreamClient, upstream_for
from repository.proxy.errors import UpstreamError, UpstreamNotFound
from repository.proxy.flight import single_flight
from repository.proxy.index import UpstreamPackage, UpstreamReader
from repository.proxy.mirror import mirror, validators_of
from repository.proxy.settings import ProxySettings, proxy_settings
from repository.proxy.shared import StateUnavailable, shared_state

logger = logging.getLogger("larder.proxy")

MAX_DOCUMENT_BYTES = 256 * 1024**2  # the largest packuments are tens of megabytes


def settings_of(repository: Repository) -> ProxySettings:
    return proxy_settings(repository.settings["proxy"])


def client_for(repository: Repository, settings: ProxySettings | None = None) -> UpstreamClient:
    return upstream_for(repository, settings or settings_of(repository))


def reader_of(repository: Repository) -> UpstreamReader:
    reader = get_format(repository.format).upstream_reader()
    if reader is None:
        raise LookupError(f"{repository.format} repositories cannot proxy")
    return reader


def refresh(repository: Repository, name: str) -> UpstreamPackage | None:
    """Ask the upstream about `name` now and mirror what it says into the rows; what is
    served of it (None if nothing new: unchanged, or not there). UpstreamErrors other
    than a 404 propagate: the caller serves the cache or tells the client."""
    settings = settings_of(repository)
    reader = reader_of(repository)
    request = reader.index_request(name)
    stored = Package.objects.filter(repository=repository, name=name).first()
    if request is None:
        return None
    client = client_for(repository, settings)
    url = client.url_for(request.path)
    try:
        response = client.get(
            url,
            accept=request.accept,
            decode=True,
            validators=validators_of(stored),
            max_bytes=MAX_DOCUMENT_BYTES,
        )
    except UpstreamNotFound:
        freshness.mark_missing(repository, settings, name)
        if stored is not None:
            freshness.mark_fresh(repository, settings, name)
        return None
    if response.status == 304:
        response.close()
        freshness.mark_fresh(repository, settings, name)
        return None
    body = response.read()
    try:
        found = reader.parse(name, body, response.headers.get("Content-Type", ""), response.url)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise response.failed(
            UpstreamError(f"unreadable index document: {exc.__class__.__name__} {exc}")
        ) from None
    served = mirror(repository, found, settings, response.validators)
    freshness.mark_fresh(repository, settings, name)
    return served


def fetch_once(
    repository: Repository,
    name: str,
    *,
    wait_seconds: float,
    read_ahead: int | None = None,
    asked: float | None = None,
) -> Package | None:
    """refresh(), by one caller deployment-wide; the others wait for its result.
    `read_ahead`: how many levels below what a client asked for this is (0: the client
    asked for it); what the client asks next is fetched too (readahead.py). None: no.
    `asked`: when the caller began reading rows (a fetch settled since then counts as
    this caller's: its rows may have been read just before that fetch committed)."""
    asked = time.time() if asked is None else asked

    def settled() -> bool | None:
        return True if freshness.settled_since(repository, name, asked) else None

    def fetch() -> bool:
        found = refresh(repository, name)
        freshness.mark_settled(repository, name)
        if found is not None and read_ahead is not None:
            read_ahead_later(repository, found, read_ahead)
        return True

    single_flight(f"index:{repository.pk}:{name}", settled, fetch, wait_seconds=wait_seconds)
    return Package.objects.filter(repository=repository, name=name).first()


# How far below what a client asked for reading ahead goes (npm trees are rarely deeper).
READ_AHEAD_DEPTH = 8


def read_ahead_later(repository: Repository, found: UpstreamPackage, depth: int = 0) -> None:
    """Queue the fetching of what a client that read `found` asks for next. A broker that
    cannot take the task costs the guess, never the client's answer."""
    from repository.tasks import read_ahead_of_client  # tasks import the sources

    settings = settings_of(repository)
    if not settings.read_ahead or settings.offline or depth >= READ_AHEAD_DEPTH:
        return
    wanted = reader_of(repository).wanted_next(found)
    if not (wanted.names or wanted.paths):
        return
    try:
        read_ahead_of_client.delay(repository.pk, list(wanted.names), list(wanted.paths), depth + 1)
    except Exception:  # the broker (Redis, the data dir) is away
        logger.warning("read ahead of %s in %s not queued", found.name, repository.name)


def refresh_later(repository: Repository, name: str) -> None:
    """Queue one background refresh of a stale document (deduplicated deployment-wide)."""
    from repository.tasks import refresh_proxied_package  # tasks import the sources

    settings = settings_of(repository)
    window = settings.connect_timeout + settings.read_timeout + 5
    try:
        if not shared_state().add(f"refreshing:{repository.pk}:{name}", "1", window):
            return
    except StateUnavailable:
        return
    refresh_proxied_package.delay(repository.pk, name)


def refresh_in_background(repository_id: int, name: str) -> None:
    """The Celery task's body: refresh, logging (not raising) an upstream failure."""
    repository = Repository.objects.filter(pk=repository_id, kind=Repository.Kind.PROXY).first()
    if repository is None:
        return
    try:
        refresh(repository, name)
    except UpstreamError as exc:
        logger.warning("refresh of %s in %s failed: %s", name, repository.name, exc)
    finally:
        with suppress(StateUnavailable):
            shared_state().delete(f"refreshing:{repository.pk}:{name}")
