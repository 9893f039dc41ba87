"""`files/<project>/<version>/<filename>[.metadata]`: distributions and PEP 658 metadata."""

from django.http import HttpRequest, HttpResponse

from formats.pypi.paths import CORE_METADATA, METADATA_SUFFIX
from repository.access.markers import reads
from repository.downloads import asset_response, immutable_for, share_file
from repository.refusals import Refusal, allow_methods
from repository.serving import blob_response


def _core_metadata(request: HttpRequest, path: str) -> HttpResponse:
    """The wheel's METADATA, kept as a sidecar of the wheel's asset; not a download."""
    found = request.larder.source.sidecar(path, CORE_METADATA)
    if found is None:
        raise Refusal(404, "File not found")
    asset, blob = found
    response = blob_response(
        request,
        blob,
        filename=asset.filename + METADATA_SUFFIX,
        content_type="application/octet-stream",
        last_modified=asset.created,
        cache_control=immutable_for(request, asset),
    )
    if request.larder.source.public_file(asset):
        share_file(request, response)
    return response


@reads
@allow_methods("GET", "HEAD")
def download(request: HttpRequest, path: str) -> HttpResponse:
    if path.endswith(METADATA_SUFFIX):
        return _core_metadata(request, "files/" + path.removesuffix(METADATA_SUFFIX))
    asset = request.larder.source.asset(f"files/{path}")
    if asset is None:
        raise Refusal(404, "File not found")
    return asset_response(request, asset)
