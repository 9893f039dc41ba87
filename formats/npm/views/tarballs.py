"""Tarball downloads at every path form clients use, and their deletion by `npm unpublish`."""

from django.http import HttpRequest, HttpResponse, JsonResponse

from formats.npm import changes
from formats.npm.views.common import READS, find_package
from repository.access.markers import reads_and_writes
from repository.downloads import asset_response
from repository.models import Asset
from repository.refusals import Refusal, method_not_allowed


def _asset(request: HttpRequest, name: str, filename: str) -> Asset:
    asset = request.larder.source.asset(f"{name}/-/{filename}")
    if asset is None:
        raise Refusal(404, f"tarball {filename} of {name} not found")
    return asset


@reads_and_writes
def tarball(request: HttpRequest, name: str, filename: str, rev: str | None = None) -> HttpResponse:
    if request.method in READS and rev is None:
        asset = _asset(request, name, filename)
        return asset_response(request, asset, content_type="application/octet-stream")
    if request.method == "DELETE":
        package = find_package(request, name)
        asset = _asset(request, name, filename)
        changes.delete_tarball(request, request.larder.write_target, package, asset, rev)
        return JsonResponse({"ok": True})
    raise method_not_allowed(request, ("DELETE",) if rev else ("GET", "HEAD", "DELETE"))
