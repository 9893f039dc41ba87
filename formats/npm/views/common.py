"""Small helpers every npm view shares: bodies, package look-ups, account checks."""

from django.conf import settings
from django.http import HttpRequest

from formats.npm.body import BodyTooLarge, JsonBody, read_json_body, request_chunks
from repository.models import Package
from repository.refusals import Refusal

READS = ("GET", "HEAD")


def read_body(request: HttpRequest) -> JsonBody:
    """The JSON body; refused before reading when its declared length is already too big."""
    limit = settings.LARDER_NPM_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(limit)
    return read_json_body(request_chunks(request), limit)


def read_object(request: HttpRequest) -> dict:
    """A small JSON object body (tokens, logins, dist-tags), with no long strings kept aside."""
    with read_body(request) as body:
        if body.spooled or not isinstance(body.document, dict):
            raise Refusal(400, "request body must be a small JSON object")
        return body.document


def no_such_package(name: str) -> Refusal:
    return Refusal(404, f"package {name} not found")


def find_package(request: HttpRequest, name: str) -> Package:
    """The package, freshly read (its generation decides which documents are current)."""
    package = request.larder.source.package(name)
    if package is None:
        raise no_such_package(name)
    return package


def signed_in_user(request: HttpRequest):
    """Account endpoints need to know who is asking; anonymous callers get npm's 401."""
    if not request.user.is_authenticated:
        raise Refusal(401, "you must be logged in")
    return request.user
