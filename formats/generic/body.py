"""A PUT body as a stream of chunks, never whole in memory, whatever its size.

Bodies with a Content-Length are read through Django's length-limited stream; chunked ones
(`curl -T -` from a pipe) straight from the server's de-chunked input, which Django would
otherwise read as empty. A body that ends early raises IncompleteBody while it is still
being stored, so a truncated upload is never recorded.
"""

from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest

from repository.refusals import Refusal
from repository.storage.base import CHUNK_SIZE


class IncompleteBody(Refusal):
    def __init__(self, detail: str) -> None:
        super().__init__(400, f"the upload ended early ({detail}); nothing was stored")


def is_chunked(request: HttpRequest) -> bool:
    return "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()


def declared_length(request: HttpRequest) -> int | None:
    """The Content-Length, or None for a chunked body."""
    if is_chunked(request):
        return None
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        raise Refusal(400, "Content-Length is not a number") from None


def refuse_oversized(request: HttpRequest) -> None:
    """413 before reading a byte when the declared length is already past the limit."""
    length = declared_length(request)
    limit = settings.LARDER_MAX_UPLOAD_BYTES
    if length is not None and length > limit:
        raise Refusal(413, f"the upload is {length} bytes; the limit is {limit} bytes")


def body_chunks(request: HttpRequest, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    expected = declared_length(request)
    stream = request.META["wsgi.input"] if expected is None else request
    received = 0
    try:
        while chunk := stream.read(chunk_size):
            received += len(chunk)
            yield chunk
    except OSError as error:  # the client went away or sent a broken chunk
        raise IncompleteBody(f"{received} bytes received: {error}") from error
    if expected is not None and received != expected:
        raise IncompleteBody(f"{received} of {expected} bytes received")
