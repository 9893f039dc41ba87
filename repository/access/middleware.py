"""Puts the Authorization header's user on the request for every view, format or API.

The credential logic is credentials_from_request()'s; this only stores its result.
"""

from repository.access.credentials import credentials_from_request


class CredentialsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        credentials = credentials_from_request(request)
        request.larder_token = credentials.token
        request.credentials_invalid = credentials.invalid
        request.credentials_retry_after = credentials.retry_after
        if credentials.user is not None:
            request.user = credentials.user
            # Header credentials are not a browser session: no CSRF to enforce.
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
