"""A format that exists only in these tests: one view per access marker, nothing else.

It lets the access tests drive the core dispatcher (401/403/404, markers, credentials)
without depending on what any real format's views do. Its errors are JSON with a
`probe_error` key, so a test can tell that the dispatcher answered in the format's words.
"""

from django.http import HttpResponse, JsonResponse
from django.urls import path

from repository.access.markers import (
    public,
    reads,
    reads_and_writes,
    tolerates_stale_credentials,
    writes,
)
from repository.formats import Format


def _who(request) -> HttpResponse:
    """Says who the core decided the caller is."""
    user = request.user.username if request.user.is_authenticated else ""
    return JsonResponse({"user": user, "method": request.method})


@public
def open_view(request):
    return _who(request)


@reads
def read_view(request):
    return _who(request)


@writes
def write_view(request):
    return _who(request)


@reads_and_writes
def read_write_view(request):
    return _who(request)


def unmarked_view(request):
    return _who(request)


@public
@tolerates_stale_credentials
def login_view(request):
    return _who(request)


urlpatterns = [
    path("open", open_view),
    path("read", read_view),
    path("write", write_view),
    path("read-write", read_write_view),
    path("unmarked", unmarked_view),
    path("login", login_view),
]


class ProbeFormat(Format):
    name = "probe"
    label = "Probe"
    urlconf = "tests.access.probe"

    def normalize_name(self, name: str) -> str:
        return name.lower()

    def version_key(self, version: str):
        return version

    def error_response(self, request, status: int, message: str) -> HttpResponse:
        return JsonResponse({"probe_error": message}, status=status)
