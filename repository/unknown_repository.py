"""The answer to /repository/<name>/... when no repository has that name.

A mistyped repository name is the commonest setup mistake, and Django's HTML 404 page
reaches the user as an unreadable blob inside twine's or npm's output. There is no format
to ask for the error's shape, so it is read from the request:

- npm, yarn and pnpm (their headers or user agent, a JSON body, or an Accept naming JSON)
  get JSON `{"error": ...}`, whose `error` npm prints;
- everyone else (twine, pip, uv, curl) gets `404 <message>` as text, with the message as
  the reason phrase too: twine prints the reason, curl --fail-with-body the body.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse

from repository import negotiation

# Sent by npm on every request (npm-session, npm-command) or for scoped packages.
_NPM_HEADERS = ("npm-command", "npm-session", "npm-scope", "npm-auth-type")
_NPM_AGENTS = ("npm/", "yarn/", "pnpm/")
_JSON_TYPES = ["text/plain", "application/json", "application/vnd.npm.install-v1+json"]
_PYPI_PATHS = ("legacy", "simple/", "simple")


def _wants_json(request: HttpRequest, path: str) -> bool:
    if path.startswith(_PYPI_PATHS):
        return False
    if any(header in request.headers for header in _NPM_HEADERS):
        return True
    if request.headers.get("User-Agent", "").startswith(_NPM_AGENTS):
        return True
    if request.content_type == "application/json":
        return True
    return negotiation.preferred(request, _JSON_TYPES) != "text/plain"


def _fits_a_status_line(message: str) -> bool:
    return message.isascii() and message.isprintable() and len(message) <= 200


def unknown_repository(request: HttpRequest, name: str, path: str) -> HttpResponse:
    """404 naming the repository, shaped for the client that asked."""
    message = f"no repository named {name}"
    if _wants_json(request, path):
        return JsonResponse({"error": message, "status": 404}, status=404)
    response = HttpResponse(
        f"404 {message}\n", status=404, content_type="text/plain; charset=utf-8"
    )
    if _fits_a_status_line(message):
        response.reason_phrase = message
    return response
