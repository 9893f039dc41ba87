"""DRF authentication that reuses what CredentialsMiddleware resolved."""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication


class LarderAuthentication(BaseAuthentication):
    def authenticate(self, request):
        django_request = request._request
        retry_after = getattr(django_request, "credentials_retry_after", None)
        if retry_after is not None:
            raise exceptions.Throttled(wait=retry_after, detail="too many failed sign-ins")
        if getattr(django_request, "credentials_invalid", False):
            raise exceptions.AuthenticationFailed("invalid credentials")
        if not django_request.META.get("HTTP_AUTHORIZATION"):
            return None
        return django_request.user, getattr(django_request, "larder_token", None)

    def authenticate_header(self, request) -> str:
        return 'Basic realm="Larder"'
