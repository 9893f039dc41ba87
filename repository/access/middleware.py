"""Puts the Authorization header's caller on the request for every view, format or API."""

from repository.access.credentials import Caller, credentials_from_request


class CredentialsMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        credentials = credentials_from_request(request)
        if credentials.user is not None:
            request.user = credentials.user
        request.caller = Caller(
            user=request.user,
            token=credentials.token,
            credentials_invalid=credentials.invalid,
            from_header=credentials.user is not None,
        )
        return self.get_response(request)
