"""Generic files: one URL per path, the HTTP method says what to do.

GET/HEAD a file downloads it, GET/HEAD a folder lists it, PUT uploads, POST uploads a form
to a folder, DELETE deletes. Each handler parses, calls a step or service, and answers;
any step may raise Refused, answered in the client's shape (text, or JSON when asked).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from formats.generic.body import body_chunks, refuse_oversized
from formats.generic.errors import Refused
from formats.generic.forms import refuse_cross_site, uploaded_file
from formats.generic.listing import list_folder
from formats.generic.paths import RepoPath, parse_path
from formats.generic.responses import file_response, listing_response, stored_response
from formats.generic.services import remove
from formats.generic.uploads import receive
from repository.access.deletion import deletion_refusal
from repository.access.markers import reads_and_writes
from repository.formats import Format
from repository.hotcache import find_asset
from repository.models import Asset, Repository

ALLOW_FILE = "GET, HEAD, PUT, DELETE, OPTIONS"
ALLOW_FOLDER = "GET, HEAD, POST, OPTIONS"


def _asset(request: HttpRequest, path: RepoPath) -> Asset | None:
    return None if path.folder else find_asset(request, path.text)


def read(request: HttpRequest, repository: Repository, fmt: Format, path: RepoPath):
    asset = _asset(request, path)
    if asset is not None:
        return file_response(request, repository, asset)
    listing = list_folder(repository, path)
    if listing.empty and path.segments:
        raise Refused(404, f"not found: {path.text}")
    return listing_response(request, repository, listing)


def put(request: HttpRequest, repository: Repository, fmt: Format, path: RepoPath):
    refuse_oversized(request)
    result = receive(request, repository, fmt, path, body_chunks(request))
    return stored_response(request, repository, result)


def post(request: HttpRequest, repository: Repository, fmt: Format, path: RepoPath):
    refuse_oversized(request)
    refuse_cross_site(request)
    uploaded, target = uploaded_file(request, path)
    result = receive(request, repository, fmt, target, uploaded.chunks())
    return stored_response(request, repository, result)


def delete(request: HttpRequest, repository: Repository, fmt: Format, path: RepoPath):
    if path.folder:
        raise Refused(405, "folders cannot be deleted; delete their files", allow=ALLOW_FOLDER)
    asset = _asset(request, path)
    if asset is None:
        raise Refused(404, f"not found: {path.text}")
    if reason := deletion_refusal(request, repository):
        raise Refused(403, reason)
    remove(request, repository, asset)
    return HttpResponse(status=204)


def options(request: HttpRequest, repository: Repository, fmt: Format, path: RepoPath):
    return HttpResponse(status=204, headers={"Allow": ALLOW_FOLDER if path.folder else ALLOW_FILE})


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
    repository, fmt = request.larder_repository, request.larder_format
    try:
        handler = _HANDLERS.get(request.method)
        if handler is None:
            raise Refused(405, f"{request.method} is not supported", allow=ALLOW_FILE)
        return handler(request, repository, fmt, parse_path(path))
    except Refused as refusal:
        response = fmt.error_response(request, refusal.status, refusal.message)
        if refusal.allow:
            response["Allow"] = refusal.allow
        return response
