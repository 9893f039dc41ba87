"""API tokens: random, long, shown once, stored as sha256 (a slow hash buys nothing here)."""

import hashlib
import secrets
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from repository.models import ApiToken

TOKEN_PREFIX = "larder_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(secret: str) -> bool:
    return secret.startswith(TOKEN_PREFIX)


def create_token(
    user,
    *,
    name: str = "",
    expires_in_days: int | None = None,
    readonly: bool = False,
    repositories=(),
) -> tuple[ApiToken, str]:
    """Make a token; the plain text is returned here and never again."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=plain[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(plain),
        readonly=readonly,
        expires=expires,
    )
    if repositories:
        token.repositories.set(repositories)
    return token, plain


def resolve_token(plain: str, address: str | None = None) -> ApiToken | None:
    """The active token for this secret, or None. One indexed lookup.

    `address`: the client's, kept as where the token was last used."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(plain), revoked__isnull=True)
        .first()
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch last_used (and where from) at most once a minute: auth stays a read on the hot
    # path, even for a token that CI runners at many addresses share.
    if token.last_used is None or now - token.last_used > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used=now, last_used_addr=address)
    return token


def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked__isnull=True).update(revoked=timezone.now())


def active_tokens(user) -> QuerySet[ApiToken]:
    """The user's tokens that still work (not revoked, not expired), newest first."""
    unexpired = Q(expires__isnull=True) | Q(expires__gt=timezone.now())
    return ApiToken.objects.filter(unexpired, user=user, revoked__isnull=True)


def find_user_token(user, key: str) -> ApiToken | None:
    """One of the user's active tokens, named by its stored hash or by the token itself."""
    return active_tokens(user).filter(token_hash__in={key, hash_token(key)}).first()
