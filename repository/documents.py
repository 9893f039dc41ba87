"""Serving precomputed index documents with ETags, and invalidating them on writes.

A format renders a document (a PEP 503 page, a packument) from the database once; the bytes
are kept in RenderedDocument, tagged with the generation of the package (or, for listings,
the repository) they were rendered from. Writes bump the generation in their transaction,
so the next read renders afresh and a render racing a write can never be served after it.
Reads cost one indexed lookup however many versions the package has.

Host-dependent parts (absolute URLs) are stored as a placeholder and filled in per request.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest, HttpResponse

from repository.models import Package, RenderedDocument, Repository
from repository.serving import not_modified

BASE_PLACEHOLDER = "@@LARDER_BASE_URL@@"


def package_changed(package: Package) -> None:
    """Call inside the write's transaction whenever anything served about a package changes."""
    Package.objects.filter(pk=package.pk).update(generation=F("generation") + 1)
    RenderedDocument.objects.filter(package=package).delete()


def repository_changed(repository: Repository) -> None:
    """Call inside the write's transaction when packages are added to or removed from it."""
    Repository.objects.filter(pk=repository.pk).update(generation=F("generation") + 1)
    RenderedDocument.objects.filter(repository=repository, package__isnull=True).delete()


def _load_or_render(
    repository: Repository,
    package: Package | None,
    key: str,
    content_type: str,
    render: Callable[[], bytes],
) -> RenderedDocument:
    generation = package.generation if package is not None else repository.generation
    document = (
        RenderedDocument.objects.filter(repository=repository, package=package, key=key)
        .only("etag", "body", "generation", "content_type")
        .first()
    )
    if document is not None and document.generation == generation:
        return document
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

    `package` must be freshly loaded (its generation read in this request).
    """
    document = _load_or_render(repository, package, key, content_type, render)
    body = bytes(document.body)
    etag_source = document.etag
    if base_url is not None:
        body = body.replace(BASE_PLACEHOLDER.encode(), base_url.encode())
        etag_source += hashlib.sha256(base_url.encode()).hexdigest()[:8]
    etag = f'"{etag_source}"'
    headers = {
        "ETag": etag,
        "Cache-Control": f"max-age={settings.LARDER_INDEX_MAX_AGE}, must-revalidate",
    }
    if vary:
        headers["Vary"] = vary
    if not_modified(request, etag, None):
        return HttpResponse(status=304, headers=headers)
    response = HttpResponse(
        b"" if request.method == "HEAD" else body, content_type=content_type, headers=headers
    )
    response["Content-Length"] = str(len(body))
    return response
