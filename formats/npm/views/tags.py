"""`npm dist-tag ls/add/rm`: /-/package/<name>/dist-tags[/<tag>]."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse

from formats.npm import changes
from formats.npm.errors import NpmError, method_not_allowed, speaks_npm_errors
from formats.npm.metadata import parse_version
from formats.npm.names import tag_error
from formats.npm.views.common import READS, find_package, read_body
from repository.access.markers import reads, reads_and_writes


@reads
@speaks_npm_errors
def dist_tags(request: HttpRequest, name: str) -> HttpResponse:
    if request.method not in READS:
        return method_not_allowed(*READS)
    package = find_package(request, name)
    tags = dict(package.tags.values_list("name", "version__version"))
    response = JsonResponse(tags)
    response["Cache-Control"] = "no-cache"
    return response


def _requested_version(request: HttpRequest) -> str:
    """The body is a bare JSON string, `"1.2.3"`."""
    with read_body(request) as body:
        wanted = body.document
    version = parse_version(wanted)
    if version is None:
        raise NpmError(
            400, f"body must be a JSON string naming a version, not {json.dumps(wanted)}"
        )
    return version


@reads_and_writes
@speaks_npm_errors
def dist_tag(request: HttpRequest, name: str, tag: str) -> HttpResponse:
    repository, fmt = request.larder_repository, request.larder_format
    if request.method in READS:
        return method_not_allowed("PUT", "DELETE")
    if request.method == "PUT":
        if error := tag_error(tag):
            raise NpmError(400, error)
        version = _requested_version(request)
        changes.set_tag(request, repository, fmt, find_package(request, name), tag, version)
        return JsonResponse({"ok": True, tag: version}, status=201)
    if request.method == "DELETE":
        changes.remove_tag(request, repository, fmt, find_package(request, name), tag)
        return JsonResponse({"ok": True})
    return method_not_allowed("PUT", "DELETE")
