"""`legacy/` (and `legacy`, since twine and poetry abort on redirects): the upload API."""

from django.http import HttpRequest, HttpResponse

from formats.pypi.errors import UploadRejected
from formats.pypi.uploads.pipeline import handle_upload
from formats.pypi.views.http import allow_methods
from repository.access.markers import writes
from repository.observability.metrics import UPLOADS


@writes
@allow_methods("POST")
def upload(request: HttpRequest) -> HttpResponse:
    try:
        result = handle_upload(request)
    except UploadRejected as exc:
        UPLOADS.labels(format="pypi", outcome=exc.label).inc()
        return request.larder_format.error_response(request, exc.status, exc.message)
    UPLOADS.labels(format="pypi", outcome="created" if result.created else "unchanged").inc()
    return HttpResponse(f"OK {result.asset.filename}\n", content_type="text/plain")
