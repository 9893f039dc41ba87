"""The simple index takes reads only; an upload sent there hears where uploads go.

Pointing twine or uv at `.../simple/` is the commonest upload mistake, and twine shows
only the status line (`405 Client Error: <reason> for url: ...`), so the reason phrase
names the upload URL.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

from repository.refusals import Refusal
from repository.urlbase import repository_url

READS = ("GET", "HEAD")


def reads_pointing_uploads_at_legacy(view: Callable) -> Callable:
    """GET and HEAD only; other methods get a 405 whose reason names `legacy/`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method in READS:
            return view(request, *args, **kwargs)
        message = f"Method {request.method} not allowed"
        if request.method == "POST":
            legacy = repository_url(request, request.larder.repository) + "legacy/"
            message += f": uploads go to {legacy}"
        raise Refusal(405, message, allow=READS)

    return wrapper
