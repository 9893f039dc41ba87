"""Small HTTP helpers shared by the PyPI views."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from repository.refusals import Refusal
from repository.urlbase import repository_url


def not_found(what: str) -> Refusal:
    return Refusal(404, f"{what} not found")


def redirect_within(request: HttpRequest, path: str) -> HttpResponse:
    """301 to `path` below this repository's root, keeping the query string."""
    location = repository_url(request, request.larder.repository) + path
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{location}?{query}" if query else location)
