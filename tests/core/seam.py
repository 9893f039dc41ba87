"""Serving a stored document through a repository's content source, as format views do."""

from django.contrib.auth.models import AnonymousUser

from repository.access.credentials import Caller
from repository.cache.rows import Reads, find_repository
from repository.dispatch import RepositoryContext
from repository.formats import get_format
from repository.sources import DocumentSpec, source_for


def serve_document(
    request, *, repository, package, key, content_type, render, base_url=None, vary=None
):
    """`render()` runs only when no stored document is current; `base_url`: the host the
    request came to, filled in where the body holds the base-URL placeholder."""
    if base_url is not None:
        request.META["HTTP_HOST"] = base_url.removeprefix("http://")
    reads = Reads.for_method(request.method)
    find_repository(reads, repository.name)  # as dispatch does: the stamp is read first
    source = source_for(repository, reads)
    caller = Caller(user=getattr(request, "user", AnonymousUser()))
    request.larder = RepositoryContext(
        repository, get_format(repository.format), source, caller, reads
    )
    spec = DocumentSpec(
        key,
        content_type,
        build=lambda repository, package: render(),
        serialize=lambda body: body,
        absolute_urls=base_url is not None,
        vary=vary,
    )
    return source.document(request, spec, package)
