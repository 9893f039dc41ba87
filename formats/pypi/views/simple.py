"""`simple/` and `simple/<project>/`: cached documents, negotiated as HTML or JSON."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from packaging.utils import canonicalize_name

from formats.pypi.simple import pages
from formats.pypi.simple.render import (
    HEADER_TYPES,
    choose_content_type,
    project_detail_html,
    project_list_html,
    render,
)
from formats.pypi.views.misdirected import reads_pointing_uploads_at_legacy
from repository.access.markers import reads
from repository.refusals import Refusal
from repository.sources import DocumentSpec
from repository.urlbase import repository_url


def redirect_within(request: HttpRequest, path: str) -> HttpResponse:
    """301 to `path` below this repository's root, keeping the query string."""
    location = repository_url(request, request.larder.repository) + path
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{location}?{query}" if query else location)


def _spec(request: HttpRequest, build, to_html) -> DocumentSpec:
    content_type = choose_content_type(request)
    return DocumentSpec(
        key=f"simple:{content_type}",
        content_type=HEADER_TYPES[content_type],
        build=build,
        serialize=lambda page: render(page, content_type, to_html),
        vary="Accept",
    )


@reads
@reads_pointing_uploads_at_legacy
def simple_root_redirect(request: HttpRequest) -> HttpResponse:
    return redirect_within(request, "simple/")


@reads
@reads_pointing_uploads_at_legacy
def project_list(request: HttpRequest) -> HttpResponse:
    spec = _spec(request, lambda repository, _: pages.project_list(repository), project_list_html)
    return request.larder.source.document(request, spec, None)


@reads
@reads_pointing_uploads_at_legacy
def project_detail(request: HttpRequest, project: str, slash: str) -> HttpResponse:
    normalized = canonicalize_name(project)
    if project != normalized or not slash:
        return redirect_within(request, f"simple/{normalized}/")
    context = request.larder
    package = context.source.package(normalized)
    if package is None:
        raise Refusal(404, f"Project {normalized} not found")
    fmt = context.format
    spec = _spec(
        request, lambda _, package: pages.project_detail(fmt, package), project_detail_html
    )
    return context.source.document(request, spec, package)
