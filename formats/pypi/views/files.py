"""`files/<project>/<version>/<filename>[.metadata]`: distributions and PEP 658 metadata."""

from django.http import HttpRequest, HttpResponse

from formats.pypi.paths import ROLE_DISTRIBUTION
from formats.pypi.views.http import allow_methods, not_found
from repository.access.markers import reads
from repository.models import Asset
from repository.observability.metrics import DOWNLOADS
from repository.services.packages import note_download
from repository.serving import blob_response


@reads
@allow_methods("GET", "HEAD")
def download(request: HttpRequest, path: str) -> HttpResponse:
    asset = (
        Asset.objects.select_related("blob")
        .filter(repository=request.larder_repository, path=f"files/{path}")
        .first()
    )
    if asset is None:
        return not_found(request, "File")
    response = blob_response(
        request,
        asset.blob,
        filename=asset.filename,
        content_type=asset.content_type,
        last_modified=asset.created,
    )
    counts = asset.metadata.get("role") == ROLE_DISTRIBUTION
    if counts and request.method == "GET" and response.status_code == 200:
        note_download(asset)
        DOWNLOADS.labels(format="pypi").inc()
    return response
