"""A simple-API page dict in the content type the client asked for: PEP 691 negotiation on
Accept (q-values, `?format=` overriding it, HTML by default), rendered as PEP 503 HTML or
PEP 691 JSON."""

import json
from collections.abc import Callable
from html import escape

from django.http import HttpRequest
from packaging.utils import canonicalize_name

from repository import negotiation

JSON_V1 = "application/vnd.pypi.simple.v1+json"
HTML_V1 = "application/vnd.pypi.simple.v1+html"
TEXT_HTML = "text/html"
# In order of preference when the client rates several equally (`*/*` gets plain HTML).
OFFERS = (TEXT_HTML, HTML_V1, JSON_V1)
_ALIASES = {
    "application/vnd.pypi.simple.latest+json": JSON_V1,
    "application/vnd.pypi.simple.latest+html": HTML_V1,
}
_SHORT_FORMATS = {"json": JSON_V1, "html": TEXT_HTML}
# The Content-Type header for each negotiated type.
HEADER_TYPES = {TEXT_HTML: "text/html; charset=utf-8", HTML_V1: HTML_V1, JSON_V1: JSON_V1}


def negotiate(accept: str) -> str:
    return negotiation.negotiate(negotiation.media_ranges(accept, _ALIASES), OFFERS)


def choose_content_type(request: HttpRequest) -> str:
    # A literal "+" in a query string decodes to a space: `?format=...v1+json` means "+".
    requested = request.GET.get("format", "").strip().lower().replace(" ", "+")
    requested = _SHORT_FORMATS.get(requested) or _ALIASES.get(requested, requested)
    if requested in OFFERS:
        return requested
    return negotiate(request.META.get("HTTP_ACCEPT", ""))


_HEAD = (
    "<!DOCTYPE html>\n<html>\n  <head>\n"
    '    <meta name="pypi:repository-version" content="{version}">\n'
    "{meta}    <title>{title}</title>\n  </head>\n  <body>\n    <h1>{title}</h1>\n"
)
_TAIL = "  </body>\n</html>\n"


def _page(page: dict, title: str, links: list[str]) -> bytes:
    head = _HEAD.format(
        version=page["meta"]["api-version"], meta="".join(_pep708_tags(page)), title=escape(title)
    )
    return (head + "".join(f"    {link}<br>\n" for link in links) + _TAIL).encode()


def _pep708_tags(page: dict) -> list[str]:
    """PEP 708: one meta element per tracked project URL and per alternate location."""
    named = [("pypi:tracks", url) for url in page["meta"].get("tracks", [])]
    named += [("pypi:alternate-locations", url) for url in page.get("alternate-locations", [])]
    return [f'    <meta name="{name}" content="{escape(url)}">\n' for name, url in named]


def _file_link(entry: dict) -> str:
    fragment = next(iter(entry["hashes"].items()), None)
    anchor = f"#{fragment[0]}={fragment[1]}" if fragment else ""
    attributes = [f'href="{escape(entry["url"])}{anchor}"']
    if entry["requires-python"]:
        attributes.append(f'data-requires-python="{escape(entry["requires-python"])}"')
    yanked = entry["yanked"]
    if yanked is not False:
        reason = "" if yanked is True else yanked
        attributes.append(f'data-yanked="{escape(reason)}"')
    if entry["core-metadata"]:
        core = entry["core-metadata"]
        value = f"sha256={core['sha256']}" if isinstance(core, dict) else "true"
        attributes.append(f'data-core-metadata="{value}"')
        attributes.append(f'data-dist-info-metadata="{value}"')
    return f"<a {' '.join(attributes)}>{escape(entry['filename'])}</a>"


def project_list_html(page: dict) -> bytes:
    links = [
        f'<a href="{escape(canonicalize_name(project["name"]))}/">{escape(project["name"])}</a>'
        for project in page["projects"]
    ]
    return _page(page, "Simple index", links)


def project_detail_html(page: dict) -> bytes:
    links = [_file_link(entry) for entry in page["files"]]
    return _page(page, f"Links for {page['name']}", links)


def render(page: dict, content_type: str, to_html: Callable[[dict], bytes]) -> bytes:
    """The page in the negotiated content type (every HTML type shares one body)."""
    if content_type == JSON_V1:
        return json.dumps(page, separators=(",", ":")).encode()
    return to_html(page)
