"""DRF authentication that reuses what CredentialsMiddleware resolved."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from repository.access.credentials import caller_of


class LarderAuthentication(BaseAuthentication):
    def authenticate(self, request):
        caller = caller_of(request)
        if caller.retry_after is not None:
            raise exceptions.Throttled(wait=caller.retry_after, detail="too many failed sign-ins")
        if caller.credentials_invalid:
            raise exceptions.AuthenticationFailed("invalid credentials")
        if not caller.from_header:
            return None
        return caller.user, caller.token

    def authenticate_header(self, request) -> str:
        return 'Basic realm="Larder"'
