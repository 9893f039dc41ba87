"""PEP 691 content negotiation: Accept with q-values, `?format=` overriding it, HTML default."""

from django.http import HttpRequest

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
