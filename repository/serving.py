"""HTTP answers for stored bytes: files and documents, the same for every format.

Every format's file downloads go through blob_response(), so pip, npm and curl all get the
same correct HTTP: ETag/304, Accept-Ranges, 206 with suffix ranges, If-Range, 416, never a
Content-Encoding, and Content-Length on HEAD exactly as on GET; S3 streams or redirects.
Stored documents (index pages, packuments) go through document_response(): ETag/304,
gzip for clients that accept it, Vary, and the Cache-Control of their repository.
"""

import functools
import logging
import re
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Protocol
from urllib.parse import quote

from django.conf import settings
from django.db import connections
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.utils.http import http_date, parse_http_date_safe

from repository.models import Blob
from repository.storage import blob_store
from repository.storage.base import blob_key

logger = logging.getLogger("larder.serving")

_RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def immutable(*, public: bool) -> str:
    """Cache-Control for bytes that never change at their URL.

    Only a public repository's files may be kept by shared caches (a CDN, an nginx cache),
    and only for LARDER_SHARED_CACHE_SECONDS (s-maxage): so a deleted file leaves them
    soon, and Larder still sees a download of each cached file that often (retention's
    "last downloaded"). A private repository's files stay in the fetching client's cache.
    """
    if not public:
        return "private, max-age=31536000, immutable"
    return f"public, max-age=31536000, s-maxage={settings.LARDER_SHARED_CACHE_SECONDS}, immutable"


def revalidated(*, public: bool) -> str:
    """Cache-Control for documents every publish changes (index pages, packuments).

    Clients may reuse one for LARDER_INDEX_MAX_AGE seconds, then ask again with its ETag.
    A shared cache in front (nginx, a CDN) may keep a public repository's document for
    LARDER_SHARED_INDEX_SECONDS (s-maxage): at 0, the default, none keeps it, so every
    install sees a publish at once; above 0, installs through that cache may see it later
    (below). A private repository's documents are never kept by a shared cache.

    Above 0, `stale-while-revalidate` lets nginx answer from its expired copy for as long
    again while it fetches the new one in the background, so requests for a busy page do
    not queue behind its refresh (only the next request on the connection that started
    the refresh waits for it). nginx counts whole seconds: a change shows through it
    within 2N+1 seconds. Clients never answer from a stale copy because of it: npm's and
    pnpm's caches revalidate a stale copy before using it, pip's and uv's do not know the
    directive.
    """
    directives = f"max-age={settings.LARDER_INDEX_MAX_AGE}, must-revalidate"
    if not public:
        return f"private, {directives}"
    shared = settings.LARDER_SHARED_INDEX_SECONDS
    # s-maxage even at 0: a shared cache must not take LARDER_INDEX_MAX_AGE for itself.
    if not shared:
        return f"public, {directives}, s-maxage=0"
    return f"public, {directives}, s-maxage={shared}, stale-while-revalidate={shared}"


def accepts_gzip(request: HttpRequest) -> bool:
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in {"gzip", "*"}:
            return params.replace(" ", "").lower() not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


class SentDocument(Protocol):
    etag: str
    body: bytes
    gzipped: bytes


# How long a FollowedResponse's sending may take before its work starts beside it.
SLOW_CLIENT_SECONDS = 1.0


class FollowedResponse(HttpResponse):
    """An answer with work to do once the server has sent it: the server calls close()
    after the last byte (gunicorn, and Django's test client, which emulates one).

    Whoever waits for that work (a proxy's first answer: every other request for the
    package) must not wait on a slow client: if sending takes longer than
    SLOW_CLIENT_SECONDS, the work starts then, on a thread beside the sending, and close()
    waits for it to end."""

    def __init__(self, *args, then: Callable[[], None], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._then: Callable[[], None] | None = then
        self._taken = threading.Lock()
        self._timer: threading.Timer | None = None

    def __iter__(self):
        self._timer = threading.Timer(SLOW_CLIENT_SECONDS, self._follow_beside)
        self._timer.daemon = True
        self._timer.start()
        return super().__iter__()

    def _follow(self) -> None:
        with self._taken:
            then, self._then = self._then, None
        try:
            if then is not None:
                then()
        except Exception:  # the client has its answer; what failed is logged, not sent
            logger.exception("work after an answer failed")

    def _follow_beside(self) -> None:
        try:
            self._follow()
        finally:
            connections.close_all()  # this thread's own connections

    def close(self) -> None:
        try:
            if self._timer is not None:
                self._timer.cancel()
                self._timer.join()  # ended, or begun beside a slow sending: wait for it
            self._follow()
        finally:
            super().close()


def document_response(
    request: HttpRequest,
    document: SentDocument,
    *,
    content_type: str,
    public: bool,
    vary: str | None = None,
    then: Callable[[], None] | None = None,
) -> HttpResponse:
    """The GET/HEAD answer for a document as sent (gzip offered to clients that take it).
    `then`: run once the answer is sent (FollowedResponse)."""
    gzipped = accepts_gzip(request)
    body = document.gzipped if gzipped else document.body
    etag = f'"{document.etag}-gzip"' if gzipped else f'"{document.etag}"'
    headers = {
        "ETag": etag,
        "Cache-Control": revalidated(public=public),
        "Vary": ", ".join(filter(None, [vary, "Accept-Encoding"])),
    }
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    answer = HttpResponse if then is None else functools.partial(FollowedResponse, then=then)
    if not_modified(request, etag, None):
        return answer(status=304, headers=headers)
    response = answer(
        b"" if request.method == "HEAD" else body, content_type=content_type, headers=headers
    )
    response["Content-Length"] = str(len(body))
    return response


def etag_for(blob: Blob) -> str:
    return f'"{blob.sha256}"'


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match semantics (weak comparison), including '*'."""
    candidates = [item.strip() for item in header.split(",")]
    bare = etag.removeprefix("W/")
    return "*" in candidates or any(c.removeprefix("W/") == bare for c in candidates)


def not_modified(request: HttpRequest, etag: str, last_modified: datetime | None) -> bool:
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        return etag_matches(if_none_match, etag)
    since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))
    return bool(since and last_modified and int(last_modified.timestamp()) <= since)


def parse_range(header: str, size: int) -> tuple[int, int] | str | None:
    """(start, end) inclusive for one satisfiable range; None to ignore; "unsatisfiable"."""
    match = _RANGE_RE.match(header.strip())
    if not match:
        return None  # multi-range or malformed: RFC 9110 lets us answer the whole file
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        length = int(last)
        if length == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return "unsatisfiable"
    return start, end


def _if_range_allows(request: HttpRequest, etag: str, last_modified: datetime | None) -> bool:
    if_range = request.META.get("HTTP_IF_RANGE")
    if not if_range:
        return True
    if if_range.startswith(('"', "W/")):
        return if_range == etag  # strong comparison only
    since = parse_http_date_safe(if_range)
    return bool(since and last_modified and int(last_modified.timestamp()) <= since)


def _content_disposition(filename: str, attachment: bool) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    kind = "attachment" if attachment else "inline"
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def _body(blob: Blob, start: int, end: int):
    """The cheapest body for this slice: a file for sendfile where possible, else a stream."""
    store = blob_store()
    path = store.local_path(blob.sha256)
    if path is not None and end == blob.size - 1:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the response
        handle.seek(start)
        return handle
    return store.iter_range(blob.sha256, start, end)


def blob_response(
    request: HttpRequest,
    blob: Blob,
    *,
    filename: str,
    content_type: str,
    last_modified: datetime | None = None,
    cache_control: str = immutable(public=False),
    attachment: bool = False,
) -> HttpResponse:
    """The GET/HEAD answer for a stored file."""
    etag = etag_for(blob)
    headers = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Cache-Control": cache_control,
        "X-Checksum-Sha256": blob.sha256,
        "X-Checksum-Sha1": blob.sha1,
        "X-Checksum-Md5": blob.md5,
    }
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified.timestamp())
    # Always, so HEAD carries exactly what GET does (FileResponse would add its own).
    headers["Content-Disposition"] = _content_disposition(filename, attachment)

    if not_modified(request, etag, last_modified):
        return HttpResponse(status=304, headers=headers)

    status, start, end = 200, 0, blob.size - 1
    range_header = request.META.get("HTTP_RANGE")
    if range_header and _if_range_allows(request, etag, last_modified):
        parsed = parse_range(range_header, blob.size)
        if parsed == "unsatisfiable":
            headers["Content-Range"] = f"bytes */{blob.size}"
            return HttpResponse(status=416, headers=headers)
        if parsed is not None:
            status, (start, end) = 206, parsed
            headers["Content-Range"] = f"bytes {start}-{end}/{blob.size}"
    length = max(0, end - start + 1)
    headers["Content-Length"] = str(length)

    if request.method == "HEAD":
        response = HttpResponse(status=status, headers=headers, content_type=content_type)
        response["Content-Length"] = str(length)
        return response

    store = blob_store()
    if status == 200:
        presigned = store.presigned_url(blob.sha256, filename, content_type)
        if presigned:
            return HttpResponseRedirect(presigned)
        if settings.LARDER_ACCEL_REDIRECT_PREFIX and store.local_path(blob.sha256):
            headers["X-Accel-Redirect"] = (
                settings.LARDER_ACCEL_REDIRECT_PREFIX.rstrip("/") + "/" + blob_key(blob.sha256)
            )
            return HttpResponse(status=200, headers=headers, content_type=content_type)

    if blob.size == 0:
        return HttpResponse(b"", status=status, headers=headers, content_type=content_type)
    body = _body(blob, start, end)
    if hasattr(body, "read"):
        response = FileResponse(body, status=status, content_type=content_type, filename=filename)
    else:
        response = StreamingHttpResponse(body, status=status, content_type=content_type)
    for name, value in headers.items():
        response[name] = value
    return response
