"""`simple/` and `simple/<project>/`: cached documents, negotiated as HTML or JSON."""

from django.http import HttpRequest, HttpResponse
from packaging.utils import canonicalize_name

from formats.pypi.simple import pages
from formats.pypi.simple.negotiation import HEADER_TYPES, choose_content_type
from formats.pypi.simple.render import project_detail_html, project_list_html, render
from formats.pypi.views.http import allow_methods, not_found, redirect_within
from repository.access.markers import reads
from repository.documents import serve_document
from repository.hotcache import find_package


def _serve(request: HttpRequest, package, build, to_html) -> HttpResponse:
    content_type = choose_content_type(request)
    return serve_document(
        request,
        repository=request.larder_repository,
        package=package,
        key=f"simple:{content_type}",
        content_type=HEADER_TYPES[content_type],
        render=lambda: render(build(), content_type, to_html),
        vary="Accept",
    )


@reads
@allow_methods("GET", "HEAD")
def simple_root_redirect(request: HttpRequest) -> HttpResponse:
    return redirect_within(request, "simple/")


@reads
@allow_methods("GET", "HEAD")
def project_list(request: HttpRequest) -> HttpResponse:
    repository = request.larder_repository
    return _serve(request, None, lambda: pages.project_list(repository), project_list_html)


@reads
@allow_methods("GET", "HEAD")
def project_detail(request: HttpRequest, project: str, slash: str) -> HttpResponse:
    normalized = canonicalize_name(project)
    if project != normalized or not slash:
        return redirect_within(request, f"simple/{normalized}/")
    package = find_package(request, normalized)
    if package is None:
        return not_found(request, f"Project {normalized}")
    fmt = request.larder_format
    return _serve(request, package, lambda: pages.project_detail(fmt, package), project_detail_html)
