"""npm's error shape: a JSON object whose `error` the CLI prints after the status line."""

import functools
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from formats.npm.body import BadBody, BodyTooLarge
from formats.npm.tarball import BadTarball
from repository.dispatch import CHALLENGE


class NpmError(Exception):
    """A refusal with its HTTP status, raised anywhere below a view."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def json_error(status: int, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    if status == 401 and not response.has_header("WWW-Authenticate"):
        response["WWW-Authenticate"] = CHALLENGE
    return response


def method_not_allowed(*allowed: str) -> JsonResponse:
    return json_error(405, "method not allowed", Allow=", ".join(allowed))


def speaks_npm_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn the refusals raised below a view into npm's JSON errors.

    Keeps the view's access marker: the dispatcher reads it from the wrapper.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NpmError as exc:
            return json_error(exc.status, exc.message)
        except BodyTooLarge as exc:
            return json_error(413, str(exc))
        except (BadBody, BadTarball) as exc:
            return json_error(400, str(exc))

    return wrapper
