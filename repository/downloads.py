"""Serving a stored asset and counting it, the same way for every format.

Retention ("not downloaded for N days") and the UI rely on the counts, so what counts as a
download is decided once: a full GET, answered with the bytes or with a redirect to them
(presigned S3). Range requests are resumes or lazy reads of a file already counted.
Called from format views, below the dispatcher that sets request.larder.
"""

from collections.abc import Callable
from datetime import datetime
from functools import partial

from django.http import HttpRequest, HttpResponse

from repository.cache.answers import share
from repository.models import Asset
from repository.observability.metrics import DOWNLOADS
from repository.services.packages import note_download
from repository.serving import blob_response, immutable

_COUNTED = frozenset({200, 302})
# Answers that stay right while the repository is unchanged: not 206 (the Range header is
# in the kept answer's key, but the body is a slice) and not a redirect to S3.
_KEPT = frozenset({200, 304})


def immutable_for(request: HttpRequest, asset: Asset) -> str:
    """Cache-Control for a file of the request's repository that never changes at its URL."""
    return immutable(public=request.larder.source.public_file(asset))


def asset_response(
    request: HttpRequest,
    asset: Asset,
    *,
    content_type: str | None = None,
    last_modified: datetime | None = None,
    cache_control: str | None = None,
) -> HttpResponse:
    """The asset's bytes (or redirect to them), immutable unless told, counted if a download.
    A proxied file not cached yet comes from the source's upstream as it is stored."""
    if asset.blob_id is None:
        serve = partial(
            asset_response,
            request,
            content_type=content_type,
            last_modified=last_modified,
            cache_control=cache_control,
        )
        response = request.larder.source.fill(
            request, asset, content_type or asset.content_type, serve
        )
        if asset.blob_id is None and request.method == "GET" and response.status_code == 200:
            _count(request.larder.repository.format, asset)
        return response
    response = blob_response(
        request,
        asset.blob,
        filename=asset.filename,
        content_type=content_type or asset.content_type,
        last_modified=last_modified or asset.created,
        cache_control=cache_control or immutable_for(request, asset),
    )
    counted = request.method == "GET" and response.status_code in _COUNTED
    if counted:
        _count(request.larder.repository.format, asset)
    if request.larder.source.public_file(asset):
        on_send = partial(_count, request.larder.repository.format, asset) if counted else None
        share_file(request, response, on_send)
    return response


def _count(fmt: str, asset: Asset) -> None:
    note_download(asset)
    DOWNLOADS.labels(format=fmt).inc()


def share_file(
    request: HttpRequest, response: HttpResponse, on_send: Callable[[], None] | None = None
) -> None:
    """Let the WSGI layer send this answer for a stored file again to the same anonymous
    request (repository/cache/answers.py), calling `on_send` each time: a whole stored file
    is read from its path each time, a redirect to S3 (whose URL expires) or a stream from
    S3 is never kept. Call only for files anyone may read."""
    if response.status_code not in _KEPT:
        return
    file = None
    if response.streaming:
        # The very file blob_response opened for sendfile; a stream from S3 has none.
        stream = getattr(response, "file_to_stream", None)
        if stream is None:
            return
        file = stream.name
    share(request, response, file=file, on_send=on_send)
