"""Tarball downloads at every path form clients use, and their deletion by `npm unpublish`."""

from django.http import HttpRequest, HttpResponse, JsonResponse

from formats.npm import changes
from formats.npm.errors import NpmError, method_not_allowed, speaks_npm_errors
from formats.npm.views.common import READS, find_package
from repository.access.markers import reads_writes_and_deletes
from repository.downloads import asset_response
from repository.hotcache import find_asset
from repository.models import Asset


def _asset(request: HttpRequest, name: str, filename: str) -> Asset:
    asset = find_asset(request, f"{name}/-/{filename}")
    if asset is None:
        raise NpmError(404, f"tarball {filename} of {name} not found")
    return asset


@reads_writes_and_deletes
@speaks_npm_errors
def tarball(request: HttpRequest, name: str, filename: str, rev: str | None = None) -> HttpResponse:
    if request.method in READS and rev is None:
        asset = _asset(request, name, filename)
        return asset_response(request, asset, content_type="application/octet-stream")
    if request.method == "DELETE":
        package = find_package(request, name)
        asset = _asset(request, name, filename)
        changes.delete_tarball(
            request, request.larder_repository, request.larder_format, package, asset, rev
        )
        return JsonResponse({"ok": True})
    return method_not_allowed("DELETE") if rev else method_not_allowed("GET", "HEAD", "DELETE")
