"""Small HTTP helpers shared by the PyPI views."""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from repository.urlbase import repository_url


def allow_methods(*methods: str) -> Callable:
    """405 (with Allow) in the protocol's error shape for any other method."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                response = request.larder_format.error_response(
                    request, 405, f"Method {request.method} not allowed"
                )
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def not_found(request: HttpRequest, what: str) -> HttpResponse:
    return request.larder_format.error_response(request, 404, f"{what} not found")


def redirect_within(request: HttpRequest, path: str) -> HttpResponse:
    """301 to `path` below this repository's root, keeping the query string."""
    location = repository_url(request, request.larder_repository) + path
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{location}?{query}" if query else location)
