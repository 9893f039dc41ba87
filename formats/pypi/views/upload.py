"""`legacy/` (and `legacy`, since twine and poetry abort on redirects): the upload API."""

from django.http import HttpRequest, HttpResponse

from formats.pypi.uploads.pipeline import handle_upload
from repository.access.markers import writes
from repository.observability.metrics import UPLOADS
from repository.refusals import allow_methods


@writes
@allow_methods("POST")
def upload(request: HttpRequest) -> HttpResponse:
    result = handle_upload(request)
    UPLOADS.labels(format="pypi", outcome="created" if result.created else "unchanged").inc()
    return HttpResponse(f"OK {result.asset.filename}\n", content_type="text/plain")
