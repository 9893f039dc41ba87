"""The one way a request below /repository/<name>/ is refused.

Format code raises Refusal anywhere below its view (a parser, an upload step, a service);
dispatch renders it through the repository's Format.error_response, so pip reads a reason
phrase, npm a JSON `error`, curl a line of text, and the metric counts it by its label.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.http import HttpRequest, HttpResponse

CHALLENGE = 'Basic realm="Larder"'


class Refusal(Exception):
    """A refused request: its status, a sentence the client can act on, and a metric label.

    `allow` lists the methods the target accepts (sent as Allow with a 405); a 401 always
    carries the Basic challenge, so clients retry with credentials.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        label: str = "",
        allow: Iterable[str] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.label = label or _DEFAULT_LABELS.get(status, "refused")
        self.allow = tuple(allow)
        self.headers = dict(headers or {})

    def response_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if self.allow:
            headers["Allow"] = ", ".join(self.allow)
        if self.status == 401:
            headers.setdefault("WWW-Authenticate", CHALLENGE)
        return headers


_DEFAULT_LABELS = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
}


def method_not_allowed(request: HttpRequest, allowed: Iterable[str]) -> Refusal:
    allowed = tuple(allowed)
    return Refusal(405, f"Method {request.method} not allowed here", allow=allowed)


def allow_methods(*methods: str) -> Callable:
    """Refuse (405, with Allow) every method but `methods` before the view runs."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                raise method_not_allowed(request, methods)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
