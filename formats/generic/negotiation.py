"""What the client wants back: JSON when it asked for it, else text (or HTML for browsers)."""

from django.http import HttpRequest


def wants_json(request: HttpRequest) -> bool:
    """An explicit `Accept: application/json` (preferred over text), or `?format=json`."""
    if request.GET.get("format") == "json":
        return True
    return request.get_preferred_type(["text/plain", "application/json"]) == "application/json"


def wants_html(request: HttpRequest) -> bool:
    """A browser: it names text/html and prefers it to plain text and JSON."""
    if wants_json(request):
        return False
    return request.get_preferred_type(["text/plain", "text/html"]) == "text/html"
