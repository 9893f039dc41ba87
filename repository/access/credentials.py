"""Who the caller is: credentials from the Authorization header (Basic with a password or
a token, Bearer), put on every request by CredentialsMiddleware, format or API.

The checks return values (Credentials); the middleware keeps the result as request.caller.
Failed attempts are counted and locked out by ratelimit.py.
"""

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache

from repository.access import ratelimit
from repository.access.directory import still_allowed
from repository.access.tokens import TOKEN_PREFIX, looks_like_token, resolve_token
from repository.audit import client_address, record
from repository.models import ApiToken

# Verified passwords are remembered briefly (keyed by a hash), so pip's per-request Basic auth
# does not pay a PBKDF2 hash on every index page and download.
_PASSWORD_CACHE_SECONDS = 60


@dataclass(frozen=True)
class Credentials:
    user: object | None = None
    token: ApiToken | None = None
    invalid: bool = False
    # Seconds the client must wait: too many failed attempts from it or for its user name.
    retry_after: int | None = None


@dataclass(frozen=True)
class Caller:
    """Who a request comes from, as CredentialsMiddleware found it (request.caller).

    `token`: the API token it authenticated with; `credentials_invalid`: it sent an
    Authorization header that matches no one; `from_header`: its user came from that
    header rather than a browser session (so no CSRF token is asked of it);
    `retry_after`: seconds it must wait after too many failed sign-ins.
    """

    user: Any
    token: ApiToken | None = None
    credentials_invalid: bool = False
    from_header: bool = False
    retry_after: int | None = None


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


def _cache_key(username: str, password: str) -> str:
    return "auth:pw:" + hashlib.sha256(f"{username}\0{password}".encode()).hexdigest()


def _remembered_user(username: str, password: str):
    """The user this exact username and password verified as in the last minute, if any.

    The cache holds the user's stored password hash too: a changed password or a different
    user behind the same id never matches a remembered entry.
    """
    remembered = cache.get(_cache_key(username, password))
    if remembered is None:
        return None
    user_id, password_hash = remembered
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is not None and user.password == password_hash and still_allowed(user):
        return user
    return None


def check_password(request, username: str, password: str):
    """The user these credentials verify as (local, or LDAP when configured), or None.

    Behind the failed-sign-in lockout: raises ratelimit.LockedOut without checking anything
    while the address or the user name is locked out. Every view that takes a password
    (HTTP Basic here, `npm login`) checks it through this function.
    """
    user = _remembered_user(username, password)
    if user is not None:
        return user
    subject = ratelimit.Subject(client_address(request) or "", username)
    wait = ratelimit.retry_after(subject)
    if wait is not None:
        raise ratelimit.LockedOut(wait)
    user = authenticate(request, username=username, password=password)
    if user is None:
        ratelimit.record_failure(subject)
        return None
    cache.set(_cache_key(username, password), (user.pk, user.password), _PASSWORD_CACHE_SECONDS)
    return user


def _authenticate_password(request, username: str, password: str) -> Credentials:
    try:
        user = check_password(request, username, password)
    except ratelimit.LockedOut as exc:
        return Credentials(invalid=True, retry_after=exc.retry_after)
    return Credentials(user=user) if user is not None else Credentials(invalid=True)


def _authenticate_token(request, secret: str) -> Credentials:
    address = client_address(request)
    token = resolve_token(secret, address)
    if token is not None and still_allowed(token.user):
        return Credentials(user=token.user, token=token)
    subject = ratelimit.Subject(address or "")
    wait = ratelimit.retry_after(subject)
    if wait is not None:
        return Credentials(invalid=True, retry_after=wait)
    ratelimit.record_failure(subject)
    record(
        request,
        "auth.token",
        target=secret[: len(TOKEN_PREFIX) + 6] if looks_like_token(secret) else "",
        failed=True,
    )
    return Credentials(invalid=True)


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
        return _authenticate_token(request, secret)
    return _authenticate_password(request, username, secret)


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
            retry_after=credentials.retry_after,
        )
        return self.get_response(request)
