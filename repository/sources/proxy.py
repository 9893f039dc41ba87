"""A proxy repository: its own rows, filled from its upstream on demand.

A package is looked up in the rows first. Fresh (fetched within the metadata TTL): served.
Stale: served at once, marked stale in the answer, and refreshed by one Celery task
(stale-while-revalidate). Invalidated since its last fetch: fetched again first (served
as it is, marked stale, if the upstream cannot answer). Never fetched: fetched now, by one
process for all that ask (single flight), unless the upstream said 404 within the negative
TTL. Files the rows list without bytes are fetched on their first download
(repository/proxy/files.py); a path no index lists is asked of the format's reader the
same way (once, 404s remembered for the negative TTL). With a content TTL, a stored file
is revalidated once it is older than that. Names the proxy's rules deny, and everything in
offline mode, come from the rows alone.

The upstream's failures reach the client in its protocol's words: 404 where the upstream
has no such thing (or the repository is offline), 502, 503 with Retry-After while the
breaker is open or the upstream throttles, 504 on a timeout; never a cached 404.
"""

import logging
import time
from datetime import datetime
from functools import cached_property

from django.db import transaction
from django.http import HttpRequest, HttpResponse

from repository.cache.copies import sent_once
from repository.cache.invalidation import package_changed, read_at_once
from repository.cache.rows import Reads
from repository.formats import get_format
from repository.models import Asset, Blob, Package, Repository
from repository.proxy import freshness
from repository.proxy.errors import UpstreamError
from repository.proxy.files import CACHE_HEADER, WholeAsset, fill, revalidate
from repository.proxy.flight import single_flight
from repository.proxy.index import UpstreamPackage
from repository.proxy.metrics import Result, count_answer
from repository.proxy.mirror import cooled, loose_file, new_package, new_version
from repository.proxy.refresh import (
    FirstFetch,
    client_for,
    fetch_first,
    fetch_once,
    reader_of,
    refresh_later,
)
from repository.proxy.settings import ProxySettings, proxy_settings
from repository.refusals import Refusal
from repository.services.blobs import record_blob
from repository.services.packages import attach_sidecar
from repository.serving import document_response
from repository.sources.base import DocumentSpec, PlannedPackage
from repository.sources.local import LocalSource
from repository.storage import blob_store
from repository.urlbase import base_url

logger = logging.getLogger("larder.proxy")

INDEX_WAIT_SECONDS = 30.0


def refusal(error: UpstreamError) -> Refusal:
    """The client's answer to an upstream failure."""
    refused = Refusal(error.client_status, str(error), label=f"upstream-{error.reason}")
    if error.retry_after is not None:
        refused.headers["Retry-After"] = str(max(1, round(error.retry_after)))
    return refused


def planned(
    repository: Repository, found: UpstreamPackage, settings: ProxySettings, now: datetime
) -> PlannedPackage:
    """What mirror() stores of a package new here, as unsaved rows: the versions the
    cooldown lets through, and the tags that point at one of them."""
    package = new_package(repository, found, now)
    served, _, _ = cooled(package, found, settings, now)
    versions = [new_version(package, version, now) for version in served]
    kept = {version.version for version in served}
    tags = {tag: version for tag, version in found.tags.items() if version in kept}
    return PlannedPackage(package, versions, tags)


class ProxySource(LocalSource):
    def __init__(self, repository: Repository, reads: Reads, *, reads_ahead: bool = False):
        super().__init__(repository, reads)
        self.reads_ahead = reads_ahead  # a package client asks: fetch what it asks next
        # Before any row is read: a fetch that ended since then is one this request's rows
        # may not show, so it is waited for rather than made again.
        self.began = time.time()

    @cached_property
    def settings(self) -> ProxySettings:
        return proxy_settings(self.repository.settings["proxy"])

    @cached_property
    def stale(self) -> set[str]:
        """Names this request served past their metadata TTL."""
        return set()

    def offline(self, what: str) -> Refusal:
        return Refusal(
            404,
            f"{what} is not cached here and {self.repository.name} is offline: "
            "its upstream is never asked",
            label="offline",
        )

    def _may_ask(self, name: str) -> bool:
        return not self.settings.offline and self.settings.names.permits(name)

    def package(self, name: str) -> Package | None:
        """The package's index, asked for: a client's next requests may be read ahead."""
        return self._package(name, read_ahead=self.reads_ahead)

    def package_document(
        self, request: HttpRequest, spec: DocumentSpec, name: str
    ) -> HttpResponse | None:
        """A package never fetched is answered from the upstream's document as soon as it
        arrives, where the format can build `spec` from it; its rows are written after
        the answer is sent, and the others asking meanwhile wait for them."""
        if spec.build_planned is None:
            return super().package_document(request, spec, name)
        found = self._package(name, read_ahead=self.reads_ahead, first=True)
        if isinstance(found, FirstFetch):
            return self._first_answer(request, spec, found)
        return None if found is None else self.document(request, spec, found)

    def _first_answer(self, request: HttpRequest, spec: DocumentSpec, first: FirstFetch):
        try:
            package = planned(self.repository, first.fetched.found, self.settings, first.now)
            body = spec.serialize(spec.build_planned(self.repository, package))
            sent = sent_once(body, base_url(request) if spec.absolute_urls else None)
            return document_response(
                request,
                sent,
                content_type=spec.content_type,
                public=self.repository.anonymous_read,
                vary=spec.vary,
                then=first.finish,
            )
        except BaseException:
            first.finish()
            raise

    def _package(
        self, name: str, *, read_ahead: bool, first: bool = False
    ) -> Package | FirstFetch | None:
        """The package, mirrored first if never fetched; `read_ahead`: a client's next
        requests are fetched too. `first`: a package never fetched is not stored yet but
        given as a FirstFetch for the caller to answer from and store."""
        local = super().package(name)
        if self.settings.offline and local is None:
            raise self.offline(name)
        if not self._may_ask(name):
            return local
        if local is not None and freshness.fetched_since_invalidated(self.repository, name):
            self._note_freshness(name)
            return local
        if local is not None:
            return self._rechecked(local)
        if freshness.known_missing(self.repository, name):
            return None
        try:
            return (fetch_first if first else fetch_once)(
                self.repository,
                name,
                wait_seconds=INDEX_WAIT_SECONDS,
                read_ahead=0 if read_ahead else None,
                asked=self.began,
            )
        except UpstreamError as exc:
            count_answer(self.repository.name, Result.ERROR)
            raise refusal(exc) from None

    def _rechecked(self, local: Package) -> Package:
        """A copy invalidated since its last fetch, fetched again before it is served; the
        copy itself (marked stale) while the upstream cannot answer."""
        try:
            fetched = fetch_once(
                self.repository, local.name, wait_seconds=INDEX_WAIT_SECONDS, asked=self.began
            )
            return fetched or local
        except UpstreamError:
            self.stale.add(local.name)
            self.reads.used_until(time.monotonic())
            count_answer(self.repository.name, Result.STALE)
            return local

    def _note_freshness(self, name: str) -> None:
        until = freshness.fresh_until(self.repository, self.settings, name)
        if until is None:
            self.stale.add(name)
            self.reads.used_until(time.monotonic())
            count_answer(self.repository.name, Result.STALE)
            refresh_later(self.repository, name)
        else:
            self.reads.used_until(time.monotonic() + until - time.time())
            count_answer(self.repository.name, Result.HIT)

    def not_found(self, what: str) -> Refusal:
        return self.offline(what) if self.settings.offline else super().not_found(what)

    def asset(self, path: str) -> Asset | None:
        found = super().asset(path)
        if found is not None:
            return self._current(found)
        name = freshness.file_name(path)
        if self.settings.offline or freshness.known_missing(self.repository, name):
            return None

        def settled() -> bool | None:
            known = self._stored_asset(path) is not None
            return True if known or freshness.known_missing(self.repository, name) else None

        single_flight(
            f"path:{self.repository.pk}:{path}",
            settled,
            lambda: self._look_up(path),
            wait_seconds=INDEX_WAIT_SECONDS,
        )
        return self._stored_asset(path)

    def _stored_asset(self, path: str) -> Asset | None:
        """The row as stored now (the request's row cache still holds what it read)."""
        return (
            Asset.objects.select_related("blob")
            .filter(repository=self.repository, path=path)
            .first()
        )

    def _look_up(self, path: str) -> bool:
        """Ask the format's reader about a path no index lists; remember the answer."""
        reader = reader_of(self.repository)
        owner = reader.package_of(path)
        if owner is not None:  # named as stored, so the name rules see what they match
            return self._listed_asset(
                get_format(self.repository.format).normalize_name(owner), path
            )
        try:
            listed = reader.file_at(client_for(self.repository, self.settings), path)
        except UpstreamError as exc:
            raise refusal(exc) from None
        if listed is None:
            freshness.mark_missing(self.repository, self.settings, freshness.file_name(path))
        else:
            loose_file(self.repository, listed)
        return True

    def _current(self, asset: Asset) -> Asset:
        """The stored file, revalidated first if the content TTL says it may have changed
        upstream; the stored bytes when the upstream cannot say."""
        ttl = self.settings.content_ttl
        if ttl is None or not asset.cached or self.settings.offline:
            return asset
        name = freshness.file_name(asset.path)
        fetched = freshness.fetched_at(self.repository, name)
        if fetched is not None:
            self.reads.used_until(time.monotonic() + fetched + ttl - time.time())
            return asset
        self.reads.used_until(time.monotonic())

        def check() -> bool:
            revalidate(self.repository, asset, client_for(self.repository, self.settings))
            return True

        try:
            single_flight(
                f"content:{asset.pk}",
                lambda: True if freshness.fetched_at(self.repository, name) else None,
                check,
                wait_seconds=INDEX_WAIT_SECONDS,
            )
        except UpstreamError as exc:
            logger.warning("%s: serving %s as stored: %s", self.repository.name, asset.path, exc)
            return asset
        return self._stored_asset(asset.path) or asset

    def _listed_asset(self, name: str, path: str) -> Asset | None:
        """A file asked for before its package's index (from a lockfile): the index is
        mirrored first, then the file read anew (this request remembered it missing). A
        client that locked its files has no use for what `latest` would bring: no reading
        ahead."""
        if self._package(name, read_ahead=False) is None:
            return None
        return (
            Asset.objects.select_related("blob")
            .filter(repository=self.repository, path=path)
            .first()
        )

    def sidecar(self, path: str, role: str) -> tuple[Asset, Blob] | None:
        found = super().sidecar(path, role)
        if found is not None or self.settings.offline:
            return found
        asset = super().asset(path)
        if asset is None or not asset.upstream:
            return None
        return single_flight(
            f"sidecar:{asset.pk}:{role}",
            lambda: super(ProxySource, self).sidecar(path, role),
            lambda: self._derive(asset, role),
            wait_seconds=INDEX_WAIT_SECONDS,
        )

    def _derive(self, asset: Asset, role: str) -> tuple[Asset, Blob] | None:
        """A derived file (PEP 658 metadata) read from the upstream, kept as a sidecar and
        advertised from then on."""
        reader = reader_of(self.repository)
        client = client_for(self.repository, self.settings)
        facts = {**asset.upstream, **asset.metadata, "path": asset.path, "cached": asset.cached}
        whole = WholeAsset(self.repository, asset, client)
        try:
            derived = reader.derived_file(client, facts, role, whole)
        except UpstreamError as exc:
            raise refusal(exc) from None
        if derived is None:
            return None
        data, added = derived
        digests = blob_store().ingest([data])
        # One change: the derived file, what it adds to the asset's facts and, where the
        # read brought them whole, the asset's own bytes. Its page is rendered on next read.
        with transaction.atomic(), read_at_once():
            blob = record_blob(digests)
            locked = Asset.objects.select_for_update().get(pk=asset.pk)
            attach_sidecar(locked, role, blob)
            whole.attach(locked)
            locked.metadata = {**locked.metadata, **added}
            Asset.objects.filter(pk=asset.pk).update(metadata=locked.metadata, blob=locked.blob_id)
            if asset.package_id is not None:
                package_changed(Package(pk=asset.package_id, repository_id=asset.repository_id))
        return locked, blob

    def document(self, request: HttpRequest, spec: DocumentSpec, package: Package | None):
        response = super().document(request, spec, package)
        if package is not None and package.name in self.stale:
            response[CACHE_HEADER] = "stale"
            response["Warning"] = '110 - "Response is Stale"'
        return response

    def fill(self, request: HttpRequest, asset: Asset, content_type: str, serve_cached):
        """The answer for a listed file whose bytes are not here yet: fetched now."""
        if self.settings.offline:
            raise self.offline(asset.filename)
        try:
            return fill(
                request,
                self.repository,
                asset,
                client_for(self.repository, self.settings),
                content_type=content_type,
                serve_cached=serve_cached,
            )
        except UpstreamError as exc:
            raise refusal(exc) from None
