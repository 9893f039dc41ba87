"""PEP 691 content negotiation: Accept with q-values, `?format=` overriding it, HTML default."""

from django.http import HttpRequest

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


def _media_ranges(header: str) -> list[tuple[str, float]]:
    """(media type, q) pairs from an Accept header; malformed q-values count as 0."""
    ranges = []
    for item in header.split(","):
        media_type, *params = (part.strip() for part in item.split(";"))
        if not media_type:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
        media_type = media_type.lower()
        ranges.append((_ALIASES.get(media_type, media_type), quality))
    return ranges


def _quality(offer: str, ranges: list[tuple[str, float]]) -> float:
    """The q-value of the most specific range matching `offer` (0 if none does)."""
    kind = offer.split("/")[0]
    best_specificity, best_quality = -1, 0.0
    for media_type, quality in ranges:
        if media_type == offer:
            specificity = 2
        elif media_type == f"{kind}/*":
            specificity = 1
        elif media_type == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, best_quality = specificity, quality
    return best_quality


def negotiate(accept: str) -> str:
    ranges = _media_ranges(accept)
    chosen, chosen_quality = TEXT_HTML, 0.0
    for offer in OFFERS:
        quality = _quality(offer, ranges)
        if quality > chosen_quality:
            chosen, chosen_quality = offer, quality
    return chosen


def choose_content_type(request: HttpRequest) -> str:
    # A literal "+" in a query string decodes to a space: `?format=...v1+json` means "+".
    requested = request.GET.get("format", "").strip().lower().replace(" ", "+")
    requested = _SHORT_FORMATS.get(requested) or _ALIASES.get(requested, requested)
    if requested in OFFERS:
        return requested
    return negotiate(request.META.get("HTTP_ACCEPT", ""))
