"""Serving a stored asset and counting it, the same way for every format.

Retention ("not downloaded for N days") and the UI rely on the counts, so what counts as a
download is decided once: a full GET, answered with the bytes or with a redirect to them
(presigned S3). Range requests are resumes or lazy reads of a file already counted.
Called from format views, below the dispatcher that sets request.larder_repository.
"""

from datetime import datetime

from django.http import HttpRequest, HttpResponse

from repository.models import Asset
from repository.observability.metrics import DOWNLOADS
from repository.services.packages import note_download
from repository.serving import blob_response, immutable

_COUNTED = frozenset({200, 302})


def immutable_for(request: HttpRequest) -> str:
    """Cache-Control for a file of the request's repository that never changes at its URL."""
    return immutable(public=request.larder_repository.anonymous_read)


def asset_response(
    request: HttpRequest,
    asset: Asset,
    *,
    content_type: str | None = None,
    last_modified: datetime | None = None,
    cache_control: str | None = None,
) -> HttpResponse:
    """The asset's bytes (or redirect to them), immutable unless told, counted if a download."""
    response = blob_response(
        request,
        asset.blob,
        filename=asset.filename,
        content_type=content_type or asset.content_type,
        last_modified=last_modified or asset.created,
        cache_control=cache_control or immutable_for(request),
    )
    if request.method == "GET" and response.status_code in _COUNTED:
        note_download(asset)
        DOWNLOADS.labels(format=request.larder_repository.format).inc()
    return response
