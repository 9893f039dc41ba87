"""Serving precomputed index documents with ETags, and invalidating them on writes.

A format renders a document (a PEP 503 page, a packument) from the database once; the bytes
are kept in RenderedDocument, tagged with the generation of the package (or, for listings,
the repository) they were rendered from. Writes bump the generation in their transaction,
so the next read renders afresh and a render racing a write can never be served after it.
Reads cost one indexed lookup however many versions the package has.

Host-dependent parts (absolute URLs) are stored as a placeholder and filled in per request.
Each web process also keeps recently served documents in memory (repository/doccache.py),
keyed by the generation it just read, so hot documents skip even the body fetch; large
ones are compressed once, into Redis, rather than once per process.
"""

import hashlib
import time
from collections.abc import Callable
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from repository.dbbytes import first_row
from repository.doccache import SHARED_MIN_BYTES, Served, as_sent, remember_base_url
from repository.doccache import cache as doccache
from repository.formats import get_format
from repository.hotcache import repository_content_changed
from repository.models import Package, RenderedDocument, Repository
from repository.responsecache import share
from repository.serving import not_modified, revalidated
from repository.tasks import warm_package_documents, warming_marker

# Longest a read waits for a worker already rendering the document it needs.
WAIT_FOR_WARMING_SECONDS = 2.0


def package_changed(package: Package) -> None:
    """Call inside the write's transaction whenever anything served about a package changes."""
    repository_content_changed(package.repository_id)
    Package.objects.filter(pk=package.pk).update(
        generation=F("generation") + 1, updated=timezone.now()
    )
    RenderedDocument.objects.filter(package=package).delete()
    transaction.on_commit(partial(_warm, package.pk))


def _warm(package_id: int) -> None:
    """After commit: queue the rendering of the generation the write left, if the format
    renders anything ahead (a bulk import into a format that does not queues nothing)."""
    row = Package.objects.filter(pk=package_id).values_list("generation", "repository__format")
    found = row.first()
    if found is not None and get_format(found[1]).warms_documents:
        warm_package_documents.delay(package_id, found[0])


def repository_changed(repository: Repository) -> None:
    """Call inside the write's transaction when packages are added to or removed from it."""
    repository_content_changed(repository.pk)
    Repository.objects.filter(pk=repository.pk).update(generation=F("generation") + 1)
    RenderedDocument.objects.filter(repository=repository, package__isnull=True).delete()


def _current(
    repository: Repository, package: Package | None, key: str, generation: int
) -> RenderedDocument | None:
    """The stored document of `generation`, or None.

    One query, in binary (repository/dbbytes.py), that matches only a current row: a
    stale body is never transferred, and ETag and body always come from the same render.
    """
    current = RenderedDocument.objects.filter(
        repository=repository, package=package, key=key, generation=generation
    )
    row = first_row(current, "pk", "etag", "content_type", "body")
    if row is None:
        return None
    pk, etag, content_type, body = row
    return RenderedDocument(
        pk=pk,
        repository=repository,
        package=package,
        key=key,
        generation=generation,
        etag=etag,
        content_type=content_type,
        body=body,
    )


def _rendered_by_worker(
    repository: Repository, package: Package, key: str, generation: int
) -> RenderedDocument | None:
    """A Celery worker is rendering this generation (warm_package_documents): its result,
    waited for briefly, rather than a second render beside it (npm reads the packument
    right after a publish, while the worker is still at it)."""
    deadline = time.monotonic() + WAIT_FOR_WARMING_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        document = _current(repository, package, key, generation)
        if document is not None:
            return document
    return None


def load_or_render(
    repository: Repository,
    package: Package | None,
    key: str,
    content_type: str,
    render: Callable[[], bytes],
    *,
    wait_for_worker: bool = False,
) -> RenderedDocument:
    """The stored document, rendered and stored first unless it is current.

    `wait_for_worker`: a read that finds a worker rendering this generation waits for
    its result (briefly) instead of rendering it a second time.
    """
    generation = package.generation if package is not None else repository.generation
    document = _current(repository, package, key, generation)
    if document is not None:
        return document
    if (
        wait_for_worker
        and package is not None
        and cache.get(warming_marker(package.pk, generation))
    ):
        waited = _rendered_by_worker(repository, package, key, generation)
        if waited is not None:
            return waited
    body = render()
    document, _ = RenderedDocument.objects.update_or_create(
        repository=repository,
        package=package,
        key=key,
        defaults={
            "content_type": content_type,
            "generation": generation,
            "etag": hashlib.sha256(body).hexdigest()[:32],
            "body": body,
        },
    )
    return document


def accepts_gzip(request: HttpRequest) -> bool:
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in {"gzip", "*"}:
            return params.replace(" ", "").lower() not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


def _served(repository, package, key, content_type, render, base_url) -> Served:
    """The document as sent, from this process's memory when it is still current."""
    generation = package.generation if package is not None else repository.generation
    owner = package if package is not None else repository
    # `created` too: a database may reuse the id of a row whose transaction rolled back.
    cache_key = (type(owner).__name__, owner.pk, owner.created, key, generation, base_url)
    served = doccache.get(cache_key)
    if served is None:
        document = load_or_render(
            repository, package, key, content_type, render, wait_for_worker=True
        )
        if base_url is not None and len(document.body) >= SHARED_MIN_BYTES:
            remember_base_url(base_url)
        served = Served.build(*as_sent(document.etag, bytes(document.body), base_url))
        if document.generation == generation:
            doccache.put(cache_key, served)
    return served


def serve_document(
    request: HttpRequest,
    *,
    repository: Repository,
    package: Package | None,
    key: str,
    content_type: str,
    render: Callable[[], bytes],
    base_url: str | None = None,
    vary: str | None = None,
) -> HttpResponse:
    """GET/HEAD answer for a cached document; `render` runs only when none is current.

    `package` (and `repository`) must be freshly loaded: their generation read in this
    request decides whether a stored document is current. Gzip is offered to clients that
    accept it, compressed once per document version rather than per request.
    """
    served = _served(repository, package, key, content_type, render, base_url)
    gzipped = accepts_gzip(request)
    body = served.gzipped if gzipped else served.body
    etag = f'"{served.etag}-gzip"' if gzipped else f'"{served.etag}"'
    headers = {
        "ETag": etag,
        "Cache-Control": revalidated(public=repository.anonymous_read),
        "Vary": ", ".join(filter(None, [vary, "Accept-Encoding"])),
    }
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    if not_modified(request, etag, None):
        response = HttpResponse(status=304, headers=headers)
    else:
        response = HttpResponse(
            b"" if request.method == "HEAD" else body, content_type=content_type, headers=headers
        )
        response["Content-Length"] = str(len(body))
    if repository.anonymous_read:
        share(request, response)
    return response
