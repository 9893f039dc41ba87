"""A proxied file not cached yet: fetched once, streamed to the client while it is stored.

One caller deployment-wide fetches (single flight on the asset); it streams the upstream's
bytes to its client through a Tee, which keeps them only when they are complete and match
the digests the upstream's index published, and then points the asset at its new blob. The
others wait for that (bounded) and are served from the cache like any stored file.

Stored files are immutable unless the repository has a content TTL (generic upstreams
whose files change): the upstream's validators are kept with the file, and once its TTL
has passed revalidate() asks again, conditionally, and stores what changed.
"""

import io
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from repository.cache.invalidation import package_changed
from repository.cache.stamps import repository_content_changed
from repository.models import Asset, Blob, Package, Repository, Sidecar
from repository.proxy import freshness
from repository.proxy.client import UpstreamClient, UpstreamResponse, Validators, loggable
from repository.proxy.errors import DigestMismatch, UpstreamError, UpstreamNotFound
from repository.proxy.flight import await_turn
from repository.proxy.metrics import Result, count_answer
from repository.proxy.refresh import reader_of
from repository.proxy.tee import ExpectedDigest, Tee, verifier
from repository.services.blobs import record_blob
from repository.serving import immutable
from repository.storage import Digests, blob_store

logger = logging.getLogger("larder.proxy")

FILE_WAIT_SECONDS = 120.0  # a waiter's patience with another process's transfer
CACHE_HEADER = "X-Larder-Cache"


def expected_digests(asset: Asset) -> list[ExpectedDigest]:
    digests = asset.upstream.get("digests", {})
    return [ExpectedDigest(algorithm, value) for algorithm, value in digests.items() if value]


def _turn(asset: Asset, wait_seconds: float = FILE_WAIT_SECONDS):
    """The stored blob, or the lead to fetch it (one fetcher per file deployment-wide)."""
    return await_turn(f"file:{asset.pk}", lambda: _cached_blob(asset), wait_seconds=wait_seconds)


def _facts(asset: Asset, validators: Validators) -> dict:
    """The asset's metadata with what the upstream said to revalidate its bytes by."""
    said = {"etag": validators.etag, "last_modified": validators.last_modified}
    facts = {**asset.upstream, **{key: value for key, value in said.items() if value}}
    return {**asset.metadata, "upstream": facts}


def _shown_anew(asset: Asset) -> None:
    """Readers see the asset's change at once; its package's documents are rendered anew."""
    if asset.package_id is not None:
        package_changed(Package(pk=asset.package_id, repository_id=asset.repository_id))
    else:
        repository_content_changed(asset.repository_id)


def mark_current(repository: Repository, client: UpstreamClient, asset: Asset) -> None:
    """The stored bytes are the upstream's for the content TTL (None: for good)."""
    ttl = client.settings.content_ttl
    if ttl is not None:
        freshness.mark_fresh(repository, client.settings, freshness.file_name(asset.path), ttl)


def _learned_shown_facts(repository: Repository, asset: Asset) -> bool:
    """Whether the stored file tells the documents something the upstream did not publish
    (PyPI pages show a file's sha256 and size; npm packuments only what the upstream said)."""
    published = set(asset.upstream.get("digests", {}))
    if asset.upstream.get("size") is not None:
        published.add("size")
    shown = reader_of(repository).shown_file_facts
    return bool(shown - published)


def _stored(repository: Repository, client: UpstreamClient, asset: Asset, validators: Validators):
    """On storing: point the asset at its verified blob; every process's rows see it at once."""

    def stored(blob: Blob) -> None:
        with transaction.atomic(savepoint=False):  # inside the caller's, with the blob row
            locked = Asset.objects.select_for_update().filter(pk=asset.pk).first()
            if locked is None or locked.blob_id is not None:
                return
            Asset.objects.filter(pk=asset.pk).update(blob=blob, metadata=_facts(locked, validators))
            if _learned_shown_facts(repository, locked):
                _shown_anew(locked)  # its page gains the hash or size now known
            else:
                repository_content_changed(repository.pk)  # documents showed it all already
        mark_current(repository, client, asset)

    return stored


def _cached_blob(asset: Asset) -> Blob | None:
    found = Asset.objects.select_related("blob").filter(pk=asset.pk).first()
    return found.blob if found is not None else None


def fill(
    request: HttpRequest,
    repository: Repository,
    asset: Asset,
    client: UpstreamClient,
    *,
    content_type: str,
    serve_cached: Callable[[Asset], HttpResponse],
) -> HttpResponse:
    """The answer for `asset` (of proxy `repository`, no blob yet): its bytes fetched from
    the upstream as they are stored, or, if another process fetched them meanwhile, the
    stored file. A HEAD asks the upstream nothing."""
    if request.method == "HEAD":
        return _head(asset, content_type)
    turn = _turn(asset)
    if turn.value is not None:
        asset.blob = turn.value
        count_answer(repository.name, Result.HIT)
        return serve_cached(asset)
    leader = turn.leader
    try:
        upstream = client.get(asset.upstream["url"])
    except UpstreamError:
        leader.release()
        count_answer(repository.name, Result.ERROR)
        raise
    tee = Tee(
        upstream,
        expected_digests(asset),
        on_stored=_stored(repository, client, asset, upstream.validators),
        size=asset.upstream.get("size"),
        max_bytes=client.max_bytes,
        leader=leader,
    )
    count_answer(repository.name, Result.MISS)
    response = StreamingHttpResponse(tee, content_type=content_type)
    length = upstream.content_length or asset.upstream.get("size")
    if length is not None:
        response["Content-Length"] = str(length)
    response["Cache-Control"] = immutable(public=repository.anonymous_read)
    response[CACHE_HEADER] = "miss"
    response["Content-Disposition"] = f'inline; filename="{asset.filename}"'
    return response


def cache_whole(
    asset: Asset, client: UpstreamClient, *, wait_seconds: float = FILE_WAIT_SECONDS
) -> Blob:
    """Fetch, verify and store the whole file now (no client waiting on its bytes); if
    another process is fetching it, wait for it at most `wait_seconds` (StillInFlight)."""
    turn = _turn(asset, wait_seconds)
    if turn.value is not None:
        return turn.value
    with turn.leader:
        upstream = client.get(asset.upstream["url"])
        digests = _ingest_whole(
            upstream, client, expected_digests(asset), asset.upstream.get("size")
        )
        with transaction.atomic():
            blob = record_blob(digests)
            _stored(asset.repository, client, asset, upstream.validators)(blob)
        return blob


def _ingest_whole(
    upstream: UpstreamResponse,
    client: UpstreamClient,
    expected: list[ExpectedDigest],
    size: int | None,
) -> Digests:
    """The upstream's body stored, if it is complete and what was promised (its Blob row
    is the caller's to record, in the transaction that uses it)."""
    try:
        return _ingest_verified(upstream.iter_bytes(), client, expected, size, url=upstream.url)
    except DigestMismatch as exc:
        raise upstream.failed(exc) from None


def _ingest_verified(
    chunks: Iterable[bytes],
    client: UpstreamClient,
    expected: list[ExpectedDigest],
    size: int | None,
    *,
    url: str,
) -> Digests:
    """Bytes from the upstream's `url` stored if they are what its index promised; a
    DigestMismatch logged and raised if not."""
    try:
        return blob_store().ingest(chunks, client.max_bytes, verifier(expected, size))
    except DigestMismatch as exc:
        logger.error("upstream file %s refused: %s", loggable(url), exc)
        raise


def revalidate(repository: Repository, asset: Asset, client: UpstreamClient) -> None:
    """Ask the upstream whether a stored file changed (conditionally, with the validators
    it sent), store its new bytes if it did, and count it current again for the content
    TTL. A file the upstream no longer has stays as stored. Other UpstreamErrors
    propagate: the caller serves the bytes it has."""
    if expected_digests(asset):  # pinned by the hashes its index published: never changes
        mark_current(repository, client, asset)
        return
    validators = Validators(asset.upstream.get("etag"), asset.upstream.get("last_modified"))
    try:
        upstream = client.get(asset.upstream["url"], validators=validators)
    except UpstreamNotFound:
        mark_current(repository, client, asset)
        return
    if upstream.status == 304:
        upstream.close()
    else:
        digests = _ingest_whole(upstream, client, [], upstream.content_length)
        with transaction.atomic():
            blob = record_blob(digests)
            locked = Asset.objects.select_for_update().get(pk=asset.pk)
            metadata = _facts(locked, upstream.validators)
            metadata["upstream"]["size"] = blob.size
            Asset.objects.filter(pk=asset.pk).update(
                blob=blob, metadata=metadata, updated=timezone.now()
            )
            Sidecar.objects.filter(asset=asset).delete()  # derived from the old bytes
            _shown_anew(locked)
    mark_current(repository, client, asset)


def open_whole(asset: Asset, client: UpstreamClient) -> BinaryIO:
    """The file's stored bytes, seekable, fetched and cached first if need be."""
    blob = _cached_blob(asset) or cache_whole(asset, client)
    stream = blob_store().open(blob.sha256)
    if stream.seekable():
        return stream
    with stream:
        return io.BytesIO(stream.read())


@dataclass
class WholeAsset:
    """A proxied asset's whole bytes for a format deriving a file from them (WholeFile).

    Bytes kept by keep() are stored at once and become the asset's file in attach(),
    inside the caller's transaction with the asset's row locked: the one that also
    records what was derived, so readers see both in one change."""

    repository: Repository
    asset: Asset
    client: UpstreamClient
    kept: tuple[Digests, Validators] | None = None

    def __call__(self) -> BinaryIO:
        return open_whole(self.asset, self.client)

    def keep(self, data: bytes, validators: Validators) -> None:
        asset = self.asset
        try:
            digests = _ingest_verified(
                [data], self.client, expected_digests(asset), asset.upstream.get("size"),
                url=asset.upstream["url"],
            )  # fmt: skip
        except DigestMismatch:
            return
        self.kept = (digests, validators)

    def attach(self, locked: Asset) -> None:
        """The kept bytes as `locked`'s file, unless it has one by now (a download that
        fetched it meanwhile); the caller saves `locked.blob` and `locked.metadata`."""
        if self.kept is None or locked.blob_id is not None:
            return
        digests, validators = self.kept
        locked.blob = record_blob(digests)
        locked.metadata = _facts(locked, validators)
        mark_current(self.repository, self.client, locked)


def _head(asset: Asset, content_type: str) -> HttpResponse:
    response = HttpResponse(content_type=content_type)
    size = asset.upstream.get("size")
    if size is not None:
        response["Content-Length"] = str(size)
    response[CACHE_HEADER] = "not-cached"
    return response
