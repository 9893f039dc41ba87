"""`files/<project>/<version>/<filename>[.metadata]`: distributions and PEP 658 metadata."""

from django.http import HttpRequest, HttpResponse

from formats.pypi.paths import CORE_METADATA, METADATA_SUFFIX
from formats.pypi.views.http import allow_methods, not_found
from repository.access.markers import reads
from repository.downloads import asset_response, immutable_for
from repository.hotcache import find_asset
from repository.models import Sidecar
from repository.serving import blob_response


def _core_metadata(request: HttpRequest, path: str) -> HttpResponse:
    """The wheel's METADATA, kept as a sidecar of the wheel's asset; not a download."""
    sidecar = (
        Sidecar.objects.select_related("blob", "asset")
        .filter(asset__repository=request.larder_repository, asset__path=path, role=CORE_METADATA)
        .first()
    )
    if sidecar is None:
        return not_found(request, "File")
    return blob_response(
        request,
        sidecar.blob,
        filename=sidecar.asset.filename + METADATA_SUFFIX,
        content_type="application/octet-stream",
        last_modified=sidecar.asset.created,
        cache_control=immutable_for(request),
    )


@reads
@allow_methods("GET", "HEAD")
def download(request: HttpRequest, path: str) -> HttpResponse:
    if path.endswith(METADATA_SUFFIX):
        return _core_metadata(request, "files/" + path.removesuffix(METADATA_SUFFIX))
    asset = find_asset(request, f"files/{path}")
    if asset is None:
        return not_found(request, "File")
    return asset_response(request, asset)
