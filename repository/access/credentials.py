"""Who the caller is: credentials from the Authorization header (Basic with a password or
a token, Bearer), put on every request by CredentialsMiddleware, format or API."""

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache

from repository.access.tokens import looks_like_token, resolve_token
from repository.models import ApiToken

# Verified passwords are remembered briefly (keyed by a hash), so pip's per-request Basic auth
# does not pay a PBKDF2 hash on every index page and download.
_PASSWORD_CACHE_SECONDS = 60


@dataclass(frozen=True)
class Credentials:
    user: object | None = None
    token: ApiToken | None = None
    invalid: bool = False


@dataclass(frozen=True)
class Caller:
    """Who a request comes from, as CredentialsMiddleware found it (request.caller).

    `token`: the API token it authenticated with; `credentials_invalid`: it sent an
    Authorization header that matches no one; `from_header`: its user came from that
    header rather than a browser session (so no CSRF token is asked of it).
    """

    user: Any
    token: ApiToken | None = None
    credentials_invalid: bool = False
    from_header: bool = False


def caller_of(request) -> Caller:
    """The request's caller; a request that never passed the middleware (built in code)
    is its session user's, with no token."""
    return getattr(request, "caller", None) or Caller(user=request.user)


def parse_authorization(header: str) -> tuple[str, str, str] | None:
    """(scheme, username, secret) from an Authorization header, or None if unusable."""
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme == "bearer" and value:
        return "bearer", "", value
    if scheme == "basic" and value:
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        username, sep, password = decoded.partition(":")
        if not sep:
            return None
        return "basic", username, password
    return None


def _authenticate_password(request, username: str, password: str):
    """Django's authenticate(), remembered briefly for this exact username and password.

    The cache holds the user's stored password hash too: a changed password or a different
    user behind the same id never matches a remembered entry.
    """
    cache_key = "auth:pw:" + hashlib.sha256(f"{username}\0{password}".encode()).hexdigest()
    remembered = cache.get(cache_key)
    if remembered is not None:
        user_id, password_hash = remembered
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is not None and user.password == password_hash:
            return user
    user = authenticate(request, username=username, password=password)
    if user is not None:
        cache.set(cache_key, (user.pk, user.password), _PASSWORD_CACHE_SECONDS)
    return user


def credentials_from_request(request) -> Credentials:
    """Who the Authorization header says the caller is; invalid=True for bad credentials."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return Credentials()
    parsed = parse_authorization(header)
    if parsed is None:
        return Credentials(invalid=True)
    scheme, username, secret = parsed
    if scheme == "bearer" or looks_like_token(secret):
        token = resolve_token(secret)
        if token is None:
            return Credentials(invalid=True)
        return Credentials(user=token.user, token=token)
    user = _authenticate_password(request, username, secret)
    if user is None:
        return Credentials(invalid=True)
    return Credentials(user=user)


class CredentialsMiddleware:
    """Sets request.caller (and request.user, for header credentials) on every request."""

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
