"""Uploads sent to the simple index instead of `legacy/`: a 405 that says where to go.

Pointing twine or uv at `.../simple/` is the commonest upload mistake, and twine shows
only the status line (`405 Client Error: <reason> for url: ...`), so the reason phrase
names the upload URL.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

from repository.urlbase import repository_url


def points_uploads_at_legacy(view: Callable) -> Callable:
    """The view's own 405 for a POST, with the repository's upload URL added."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method != "POST" or response.status_code != 405:
            return response
        legacy = repository_url(request, request.larder_repository) + "legacy/"
        message = f"Method POST not allowed: uploads go to {legacy}"
        better = request.larder_format.error_response(request, 405, message)
        better["Allow"] = response["Allow"]
        return better

    return wrapper
