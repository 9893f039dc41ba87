"""Request ids (taken from a trusted load balancer or made here) and request metrics."""

import re
import time
import uuid

from repository.observability.context import request_id
from repository.observability.metrics import REQUEST_SECONDS

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def new_request_id(incoming: str) -> str:
    """The load balancer's X-Request-Id when it is safe to log, else a fresh one."""
    return incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        rid = new_request_id(request.META.get("HTTP_X_REQUEST_ID", ""))
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-Id"] = rid
        match = getattr(request, "resolver_match", None)
        route = match.url_name if match and match.url_name else "other"
        REQUEST_SECONDS.labels(
            route=route, method=request.method, status=response.status_code
        ).observe(time.perf_counter() - started)
        return response
