"""Public index documents answered again without Django while the repository is unchanged.

A warm PEP 503 page or packument costs little in Larder's own code (the body is kept in
memory, repository/doccache.py); most of a request is Django around it: the request
object, ten middleware, URL resolving, the response object. For the requests most
installs make, none of that changes the answer: an anonymous GET of a public document.
This WSGI layer keeps each such answer (status, headers, body) under the request headers
that can change it, and the Redis stamps the repository was read under
(repository/hotcache.py). While those stamps are unchanged the answer is sent as kept,
with a request id of its own; after any write to the repository, the next request goes
through Django again. So a kept answer is exactly as fresh as the one Django would give.

Only answers a view marks with `share()` are kept, and only for requests that carry no
credentials and no cookie. Without Redis nothing is kept.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from repository.hotcache import Stamps, stamps_unchanged
from repository.observability.metrics import REQUEST_SECONDS
from repository.observability.middleware import new_request_id

# Every request header (and WSGI key) a shareable answer may depend on: the method, the
# URL, content negotiation, conditional requests, and the host and scheme absolute URLs
# are built from (directly or through a trusted proxy's X-Forwarded-*).
_KEY_FIELDS = (
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "wsgi.url_scheme",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
)
_PERSONAL = ("HTTP_AUTHORIZATION", "HTTP_COOKIE")
_SHARED_ATTRIBUTE = "larder_shared"
_MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class _Shared:
    """What share() learned from the request: the stamps read, the route for metrics."""

    stamps: Stamps
    route: str


@dataclass(frozen=True)
class _Answer:
    shared: _Shared
    expires: float
    status: str
    headers: list[tuple[str, str]]
    body: bytes


def share(request: HttpRequest, response: HttpResponse) -> None:
    """Mark `response` as the same for every anonymous request with the same headers.

    Call only for answers that depend on nothing but the repository's rows (which its
    stamps cover) and the request headers in _KEY_FIELDS.
    """
    stamps = getattr(request, "larder_stamps", None)
    if stamps is None:
        return
    match = request.resolver_match
    route = match.url_name if match and match.url_name else "other"
    setattr(response, _SHARED_ATTRIBUTE, _Shared(stamps, route))


class _Answers:
    """A bounded LRU of kept answers, by total body size, shared by a process's threads."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple, _Answer] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> _Answer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is not None:
                self._entries.move_to_end(key)
            return answer

    def put(self, key: tuple, answer: _Answer) -> None:
        limit = settings.LARDER_DOCUMENT_CACHE_BYTES
        if len(answer.body) > limit // 4:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = answer
            self._total += len(answer.body)
            while self._total > limit or len(self._entries) > _MAX_ENTRIES:
                self._drop(next(iter(self._entries)))

    def discard(self, key: tuple) -> None:
        with self._lock:
            self._drop(key)

    def _drop(self, key: tuple) -> None:
        answer = self._entries.pop(key, None)
        if answer is not None:
            self._total -= len(answer.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._total = 0


class SharedAnswerCache:
    """WSGI middleware around Django's handler; see the module docstring."""

    def __init__(self, app: Callable) -> None:
        self.app = app
        self.answers = _Answers()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or any(
            environ.get(name) for name in _PERSONAL
        ):
            return self.app(environ, start_response)
        started = time.perf_counter()
        key = tuple(environ.get(name) for name in _KEY_FIELDS)
        answer = self.answers.get(key)
        if answer is not None:
            if answer.expires > time.monotonic() and stamps_unchanged(answer.shared.stamps):
                return self._send(environ, start_response, answer, started)
            self.answers.discard(key)
        return self._through_django(key, environ, start_response)

    def _send(self, environ, start_response, answer: _Answer, started: float) -> list[bytes]:
        request_id = new_request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        start_response(answer.status, [*answer.headers, ("X-Request-Id", request_id)])
        REQUEST_SECONDS.labels(
            route=answer.shared.route,
            method=environ["REQUEST_METHOD"],
            status=answer.status.split(" ", 1)[0],
        ).observe(time.perf_counter() - started)
        return [answer.body]

    def _through_django(self, key: tuple, environ, start_response) -> Iterable[bytes]:
        sent: list = []

        def remember_start(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        response = self.app(environ, remember_start)
        shared = getattr(response, _SHARED_ATTRIBUTE, None)
        if shared is not None and not response.streaming and sent:
            status, headers = sent
            if not any(name.lower() == "set-cookie" for name, _ in headers):
                kept = [(n, v) for n, v in headers if n.lower() != "x-request-id"]
                expires = time.monotonic() + settings.LARDER_HOT_CACHE_SECONDS
                self.answers.put(key, _Answer(shared, expires, status, kept, response.content))
        return response
