"""`npm dist-tag ls/add/rm`: /-/package/<name>/dist-tags[/<tag>]."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse

from formats.npm import changes
from formats.npm.metadata import parse_version
from formats.npm.names import tag_error
from formats.npm.views.common import READS, find_package, read_body
from repository.access.markers import reads, reads_and_writes
from repository.refusals import Refusal, allow_methods


@reads
@allow_methods(*READS)
def dist_tags(request: HttpRequest, name: str) -> HttpResponse:
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
        raise Refusal(400, f"body must be a JSON string naming a version, not {json.dumps(wanted)}")
    return version


@reads_and_writes
@allow_methods("PUT", "DELETE")
def dist_tag(request: HttpRequest, name: str, tag: str) -> HttpResponse:
    repository, fmt = request.larder.write_target, request.larder.format
    if request.method == "PUT":
        if error := tag_error(tag):
            raise Refusal(400, error)
        version = _requested_version(request)
        changes.set_tag(request, repository, fmt, find_package(request, name), tag, version)
        return JsonResponse({"ok": True, tag: version}, status=201)
    changes.remove_tag(request, repository, fmt, find_package(request, name), tag)
    return JsonResponse({"ok": True})
