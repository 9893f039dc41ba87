"""`simple/` and `simple/<project>/`: cached documents, negotiated as HTML or JSON."""

from django.http import HttpRequest, HttpResponse
from packaging.utils import canonicalize_name

from formats.pypi.simple import pages
from formats.pypi.simple.negotiation import HEADER_TYPES, choose_content_type
from formats.pypi.simple.render import project_detail_html, project_list_html, render
from formats.pypi.views.http import not_found, redirect_within
from repository.access.markers import reads
from repository.refusals import allow_methods
from repository.sources import DocumentSpec


def _spec(request: HttpRequest, build, to_html) -> DocumentSpec:
    content_type = choose_content_type(request)
    return DocumentSpec(
        key=f"simple:{content_type}",
        content_type=HEADER_TYPES[content_type],
        render=lambda repository, package: render(
            build(repository, package), content_type, to_html
        ),
        vary="Accept",
    )


@reads
@allow_methods("GET", "HEAD")
def simple_root_redirect(request: HttpRequest) -> HttpResponse:
    return redirect_within(request, "simple/")


@reads
@allow_methods("GET", "HEAD")
def project_list(request: HttpRequest) -> HttpResponse:
    spec = _spec(request, lambda repository, _: pages.project_list(repository), project_list_html)
    return request.larder.source.document(request, spec, None)


@reads
@allow_methods("GET", "HEAD")
def project_detail(request: HttpRequest, project: str, slash: str) -> HttpResponse:
    normalized = canonicalize_name(project)
    if project != normalized or not slash:
        return redirect_within(request, f"simple/{normalized}/")
    context = request.larder
    package = context.source.package(normalized)
    if package is None:
        raise not_found(f"Project {normalized}")
    fmt = context.format
    spec = _spec(
        request, lambda _, package: pages.project_detail(fmt, package), project_detail_html
    )
    return context.source.document(request, spec, package)
