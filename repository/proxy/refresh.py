"""Fetching a package's index document from the upstream and mirroring it into rows.

Called in the request for a package never fetched (single flight: one fetch for every
process asking at once), and by a Celery task for a stale one (stale-while-revalidate:
the request is answered from the rows at once, and one refresh runs deployment-wide).
Conditional requests carry the validators the upstream sent last time; a 304 only marks
the copy fresh.
"""

import logging
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError

from repository.formats import get_format
from repository.models import Package, Repository
from repository.proxy import freshness
from repository.proxy.client import UpstreamClient, Validators, upstream_for
from repository.proxy.errors import UpstreamError, UpstreamNotFound
from repository.proxy.flight import await_turn, single_flight
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


@dataclass(frozen=True)
class Fetched:
    """A package's index document as the upstream sent it, read into the core model."""

    found: UpstreamPackage
    validators: Validators


def fetch_index(
    repository: Repository, settings: ProxySettings, name: str, stored: Package | None
) -> Fetched | None:
    """The upstream's document for `name`, asked conditionally for a `stored` copy; None
    if nothing new (unchanged: the copy marked fresh; not there: remembered missing).
    UpstreamErrors other than a 404 propagate."""
    reader = reader_of(repository)
    request = reader.index_request(name)
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
    return Fetched(found, response.validators)


def stored_as_fetched(
    repository: Repository,
    settings: ProxySettings,
    fetched: Fetched,
    *,
    now: datetime,
    first: bool = False,
) -> UpstreamPackage:
    """The fetched document mirrored into the rows and the copy marked fresh; what is
    served of it. `first`: a package with no rows, fetched under its single flight (its
    rows inserted without looking, and the flight's waiters told it settled)."""
    try:
        served = mirror(repository, fetched.found, settings, fetched.validators, now=now, new=first)
    except IntegrityError:  # stored meanwhile after all (an uncoordinated or lapsed flight)
        if not first:
            raise
        served = mirror(repository, fetched.found, settings, fetched.validators, now=now)
    freshness.mark_fresh(repository, settings, fetched.found.name, settled=first)
    return served


def refresh(repository: Repository, name: str) -> UpstreamPackage | None:
    """Ask the upstream about `name` now and mirror what it says into the rows; what is
    served of it (None if nothing new: unchanged, or not there). UpstreamErrors other
    than a 404 propagate: the caller serves the cache or tells the client."""
    settings = settings_of(repository)
    stored = Package.objects.filter(repository=repository, name=name).first()
    fetched = fetch_index(repository, settings, name, stored)
    if fetched is None:
        return None
    # No row: inserted without looking (a fetch racing this one without the single
    # flight meets the row and falls back to a sync).
    first = stored is None
    return stored_as_fetched(repository, settings, fetched, now=datetime.now(UTC), first=first)


def _settled_check(
    repository: Repository, name: str, asked: float | None
) -> Callable[[], bool | None]:
    """The single flight's check: has a fetch of `name` ended since `asked` (now if None)?"""
    since = time.time() if asked is None else asked
    return lambda: True if freshness.settled_since(repository, name, since) else None


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
    settled = _settled_check(repository, name, asked)

    def fetch() -> bool:
        found = refresh(repository, name)
        freshness.mark_settled(repository, name)
        if found is not None and read_ahead is not None:
            read_ahead_later(repository, found, read_ahead)
        return True

    single_flight(f"index:{repository.pk}:{name}", settled, fetch, wait_seconds=wait_seconds)
    return Package.objects.filter(repository=repository, name=name).first()


@dataclass(frozen=True)
class FirstFetch:
    """A package with no rows, just fetched by this caller, which holds its single flight:
    the caller answers from `fetched`, then calls finish() once (after the answer is
    sent), which stores it, reads ahead and lets the callers waiting for it in."""

    fetched: Fetched
    now: datetime  # the time the rows will carry
    finish: Callable[[], None]


def fetch_first(
    repository: Repository,
    name: str,
    *,
    wait_seconds: float,
    read_ahead: int | None = None,
    asked: float | None = None,
) -> FirstFetch | Package | None:
    """fetch_once() for a package with no rows, whose storing waits until the caller has
    answered its client from the upstream's document: a FirstFetch when this caller
    fetched it; else the package another caller stored meanwhile, or None (not there)."""
    settled = _settled_check(repository, name, asked)
    turn = await_turn(f"index:{repository.pk}:{name}", settled, wait_seconds=wait_seconds)
    if turn.leader is None:
        return Package.objects.filter(repository=repository, name=name).first()
    leader = turn.leader
    settings = settings_of(repository)
    try:
        fetched = fetch_index(repository, settings, name, None)
    except BaseException:
        leader.release()
        raise
    if fetched is None:  # not there, and now remembered missing
        freshness.mark_settled(repository, name)
        leader.release()
        return None
    now = datetime.now(UTC)

    def finish() -> None:
        with leader:
            served = stored_as_fetched(repository, settings, fetched, now=now, first=True)
            if read_ahead is not None:
                read_ahead_later(repository, served, read_ahead)

    return FirstFetch(fetched, now, finish)


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
