"""Generic files: one URL per path, the HTTP method says what to do.

GET/HEAD a file downloads it, GET/HEAD a folder lists it, PUT uploads, POST uploads a form
to a folder, DELETE deletes. Each handler parses, calls a step or service, and answers;
any step may raise a Refusal, answered in the client's shape (text, or JSON when asked).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from formats.generic.body import body_chunks, refuse_oversized
from formats.generic.forms import refuse_cross_site, uploaded_file
from formats.generic.listing import list_folder
from formats.generic.paths import RepoPath, parse_path
from formats.generic.responses import file_response, listing_response, stored_response
from formats.generic.services import remove
from formats.generic.uploads import ALLOW_FILE, ALLOW_FOLDER, receive
from repository.access.deletion import deletion_refusal
from repository.access.markers import reads_and_writes
from repository.models import Asset
from repository.refusals import Refusal, method_not_allowed


def _asset(request: HttpRequest, path: RepoPath) -> Asset | None:
    return None if path.folder else request.larder.source.asset(path.text)


def read(request: HttpRequest, path: RepoPath) -> HttpResponse:
    repository = request.larder.repository
    asset = _asset(request, path)
    if asset is not None:
        return file_response(request, asset)
    listing = list_folder(request.larder.source.assets(), path)
    if listing.empty and path.segments:
        raise request.larder.source.not_found(path.text)
    return listing_response(request, repository, listing)


def _stored(request: HttpRequest, path: RepoPath, chunks) -> HttpResponse:
    context = request.larder
    result = receive(request, context.write_target, context.format, path, chunks)
    return stored_response(request, context.repository, result)


def put(request: HttpRequest, path: RepoPath) -> HttpResponse:
    refuse_oversized(request)
    return _stored(request, path, body_chunks(request))


def post(request: HttpRequest, path: RepoPath) -> HttpResponse:
    refuse_oversized(request)
    refuse_cross_site(request)
    uploaded, target = uploaded_file(request, path)
    return _stored(request, target, uploaded.chunks())


def delete(request: HttpRequest, path: RepoPath) -> HttpResponse:
    if path.folder:
        raise Refusal(405, "folders cannot be deleted; delete their files", allow=ALLOW_FOLDER)
    asset = _asset(request, path)
    if asset is None:
        raise Refusal(404, f"not found: {path.text}")
    target = request.larder.write_target
    if reason := deletion_refusal(request, target):
        raise Refusal(403, reason)
    remove(request, target, asset)
    return HttpResponse(status=204)


def options(request: HttpRequest, path: RepoPath) -> HttpResponse:
    allowed = ALLOW_FOLDER if path.folder else ALLOW_FILE
    return HttpResponse(status=204, headers={"Allow": ", ".join(allowed)})


_HANDLERS: dict[str, Callable[..., HttpResponse]] = {
    "GET": read,
    "HEAD": read,
    "PUT": put,
    "POST": post,
    "DELETE": delete,
    "OPTIONS": options,
}


@reads_and_writes
def repository_path(request: HttpRequest, path: str) -> HttpResponse:
    handler = _HANDLERS.get(request.method)
    if handler is None:
        raise method_not_allowed(request, ALLOW_FILE)
    return handler(request, parse_path(path))
