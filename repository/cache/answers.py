"""Public documents and files answered again without Django while the repository is unchanged.

A warm PEP 503 page or packument costs little in Larder's own code (its body is kept in
memory, copies.py); most of a request is Django around it: the request object, the
middleware, URL resolving, the response object. For the requests most installs make, none
of that changes the answer: an anonymous GET of a public document or file. This WSGI layer
keeps each such answer (status, headers, and the body or the stored file it came from)
under the request headers that can change it and the stamps the request relied on
(stamps.py). While those stamps are unchanged the answer is sent as kept, with a request
id of its own, and a file's download is counted as Django would count it; after any write
to the repository, the next request goes through Django again. So a kept answer is
exactly as fresh as the one Django would give.

Only answers a view marks with `share()` are kept, only for requests that carry no
credentials, no cookie and no query string, and no longer than the rows they were built
from (LARDER_HOT_CACHE_SECONDS).
"""

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from wsgiref.util import FileWrapper

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from repository.cache.memory import MemoryCache
from repository.cache.stamps import stamps
from repository.observability.metrics import REQUEST_SECONDS
from repository.observability.middleware import new_request_id

logger = logging.getLogger(__name__)

# Every request header (and WSGI key) a shareable answer may depend on: the method, the
# path, content negotiation, the conditional and range headers, and the host and scheme
# absolute URLs are built from. (Requests with a query string are never kept: views
# ignore unknown parameters, so each new one would only take room.)
_KEY_FIELDS = (
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "wsgi.url_scheme",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_HOST",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_RANGE",
    "HTTP_IF_RANGE",
)
# Read by Django only behind a trusted proxy (LARDER_TRUST_PROXY).
_PROXY_KEY_FIELDS = ("HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO")
_NEVER_KEPT = ("HTTP_AUTHORIZATION", "HTTP_COOKIE", "QUERY_STRING")
# Where share() leaves its mark for this layer: Django hands the server a file wrapper in
# place of a file response, so the mark travels in the environ, beside the response.
MARK = "larder.shared"
# Real requests' keys are a few hundred bytes; longer ones are not worth a place.
_MAX_KEY_BYTES = 4096
# Read size for a kept file where the server cannot sendfile (gunicorn can).
_FILE_BLOCK_BYTES = 64 * 1024
# What an entry costs beyond its strings (the tuples, the dict slot): counted so that
# answers with empty bodies (304, HEAD) still fill the budget.
_ENTRY_OVERHEAD = 512


@dataclass(frozen=True)
class Shared:
    """What share() learned: the stamps the answer's rows were read under (repository id
    -> value), until when those rows may be kept, the route for metrics; for a file, its
    path (the body is read from it each time) and what to call each time it is sent."""

    stamps: tuple[tuple[int, str], ...]
    fresh_until: float
    route: str
    file: str | None = None
    on_send: Callable[[], None] | None = None


@dataclass(frozen=True)
class _Answer:
    shared: Shared
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    cost: int


def share(
    request: HttpRequest,
    response: HttpResponse,
    *,
    file: str | None = None,
    on_send: Callable[[], None] | None = None,
) -> None:
    """Mark `response` as the same for every anonymous request with the same headers.

    Call only for answers that depend on nothing but the repository's rows (which its
    stamps cover) and the request headers in _KEY_FIELDS. `file`: the response streams
    this whole file, which never changes at its path. `on_send`: called for every request
    the kept answer is sent to (a download count).
    """
    reads = request.larder.reads
    if not reads.cacheable:
        return
    match = request.resolver_match
    route = match.url_name if match and match.url_name else "other"
    shared = Shared(tuple(reads.stamps.items()), reads.fresh_until, route, file, on_send)
    request.META[MARK] = (response, shared)


def _unchanged(kept: tuple[tuple[int, str], ...]) -> bool:
    current = stamps().read([repository_id for repository_id, _ in kept])
    return current is not None and current == [value for _, value in kept]


class SharedAnswerCache:
    """WSGI middleware around Django's handler; see the module docstring."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        self.answers: MemoryCache[_Answer] = MemoryCache(
            settings.LARDER_DOCUMENT_CACHE_BYTES, cost=lambda answer: answer.cost
        )
        # LARDER_TRUST_PROXY takes effect at start-up, as Django's own proxy settings do.
        self.key_fields = (
            _KEY_FIELDS + _PROXY_KEY_FIELDS if settings.LARDER_TRUST_PROXY else _KEY_FIELDS
        )

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or any(
            environ.get(name) for name in _NEVER_KEPT
        ):
            return self.app(environ, start_response)
        started = time.perf_counter()
        key = tuple(environ.get(name) for name in self.key_fields)
        answer = self.answers.get(key)
        if answer is not None:
            fresh = answer.shared.fresh_until > time.monotonic()
            if fresh and _unchanged(answer.shared.stamps):
                sent = self._send(environ, start_response, answer, started)
                if sent is not None:
                    return sent
            self.answers.discard(key, answer)
        return self._through_django(key, environ, start_response)

    def _send(self, environ, start_response, answer: _Answer, started: float) -> Iterable | None:
        """The kept answer; None if its file cannot be opened (Django will say why)."""
        shared = answer.shared
        body: Iterable[bytes] = [answer.body]
        if shared.file is not None:
            try:
                handle = open(shared.file, "rb")  # noqa: SIM115 - closed by the server
            except OSError:
                return None
            body = environ.get("wsgi.file_wrapper", FileWrapper)(handle, _FILE_BLOCK_BYTES)
        request_id = new_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        try:
            start_response(answer.status, [*answer.headers, ("X-Request-Id", request_id)])
        except BaseException:
            getattr(body, "close", lambda: None)()
            raise
        if shared.on_send is not None:
            try:
                shared.on_send()
            except Exception:  # a lost count must not fail a download already started
                logger.exception("Could not count a download of %s", environ["PATH_INFO"])
        REQUEST_SECONDS.labels(
            route=shared.route,
            method=environ["REQUEST_METHOD"],
            status=answer.status.split(" ", 1)[0],
        ).observe(time.perf_counter() - started)
        return body

    def _through_django(self, key: tuple, environ, start_response) -> Iterable[bytes]:
        sent: list = []

        def remember_start(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        response = self.app(environ, remember_start)
        marked, shared = environ.pop(MARK, (None, None))
        if shared is None or not sent:
            return response
        if shared.file is not None:
            # The marked response, or the server's wrapper of its file (PEP 3333's
            # `filelike`), which Django returns in its place.
            stream = getattr(marked, "file_to_stream", None)
            wrapped = getattr(response, "filelike", None)
            keepable = stream is not None and (response is marked or wrapped is stream)
        else:
            keepable = marked is response and not response.streaming
        if keepable:
            status, headers = sent
            if not any(name.lower() == "set-cookie" for name, _ in headers):
                kept = [(n, v) for n, v in headers if n.lower() != "x-request-id"]
                body = b"" if shared.file is not None else response.content
                self._keep(key, shared, status, kept, body)
        return response

    def _keep(self, key: tuple, shared: Shared, status: str, headers, body: bytes) -> None:
        key_bytes = sum(len(field) for field in key if field)
        if key_bytes > _MAX_KEY_BYTES:
            return
        header_bytes = sum(len(name) + len(value) for name, value in headers)
        cost = len(body) + key_bytes + header_bytes + _ENTRY_OVERHEAD
        self.answers.put(key, _Answer(shared, status, headers, body, cost))
