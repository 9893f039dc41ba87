"""Content negotiation on the Accept header, the same for every format (RFC 9110, 12.5.1).

An offer's quality is that of the most specific media range matching it: with
`*/*;q=0.5, text/html;q=0.1` text/html gets 0.1. Malformed q-values count as 0, so a client
sending them never gets a type it did not ask for.
"""

from collections.abc import Mapping, Sequence

from django.http import HttpRequest

MediaRanges = list[tuple[str, float]]


def media_ranges(accept: str, aliases: Mapping[str, str] | None = None) -> MediaRanges:
    """(media type, q) pairs of an Accept header, types lowercased and aliases resolved."""
    ranges = []
    for item in accept.split(","):
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
        ranges.append(((aliases or {}).get(media_type, media_type), quality))
    return ranges


def quality(ranges: MediaRanges, offer: str, *, exact: bool = False) -> float:
    """The q-value the client gives `offer` (0 if no range matches); `exact` ignores
    wildcards, for types a client must name to get (npm's abbreviated packument)."""
    kind = offer.split("/")[0]
    best_specificity, best_quality = -1, 0.0
    for media_type, q in ranges:
        if media_type == offer:
            specificity = 2
        elif exact:
            continue
        elif media_type == f"{kind}/*":
            specificity = 1
        elif media_type == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, best_quality = specificity, q
    return best_quality


def negotiate(ranges: MediaRanges, offers: Sequence[str]) -> str:
    """The offer rated highest; on a tie, or when none is acceptable, the earliest offer."""
    chosen, chosen_quality = offers[0], 0.0
    for offer in offers:
        rated = quality(ranges, offer)
        if rated > chosen_quality:
            chosen, chosen_quality = offer, rated
    return chosen


def accepted(request: HttpRequest) -> MediaRanges:
    """The request's Accept header as media ranges."""
    return media_ranges(request.META.get("HTTP_ACCEPT", ""))


def preferred(request: HttpRequest, offers: Sequence[str]) -> str:
    """negotiate() on the request's Accept header."""
    return negotiate(accepted(request), offers)
