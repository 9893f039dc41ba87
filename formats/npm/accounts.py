"""`npm login`/`adduser` and `npm token`: Larder users and Larder API tokens, npm-shaped.

Tokens made here are limited to the repository they were made through: npm attaches them
to that registry URL only, so nothing wider is ever needed, and a leaked `.npmrc` exposes
one repository rather than the whole account.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from repository.access.credentials import check_password
from repository.access.tokens import create_token, revoke_token
from repository.audit import record
from repository.models import ApiToken, Repository
from repository.refusals import Refusal

BAD_LOGIN = "incorrect username or password"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def token_json(token: ApiToken) -> dict[str, Any]:
    """A token as `npm token list` shows it: `key` names it, `token` is its visible prefix."""
    return {
        "key": token.token_hash,
        "token": token.prefix,
        "name": token.name,
        "readonly": token.readonly,
        "cidr_whitelist": None,
        "created": _iso(token.created),
        "updated": _iso(token.last_used or token.created),
        "expires": _iso(token.expires),
    }


def _register(request, username: str, password: str, email: str):
    User = get_user_model()
    candidate = User(username=username, email=email)
    try:
        User.username_validator(username)
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise Refusal(400, " ".join(exc.messages)) from None
    try:
        with transaction.atomic():
            user = User.objects.create_user(username, email, password)
    except IntegrityError:
        raise Refusal(401, BAD_LOGIN) from None
    record(request, "user.register", target=username, via="npm adduser")
    return user


@transaction.atomic
def log_in(
    request, repository: Repository, username: str, password: str, email: str = ""
) -> tuple[Any, str]:
    """Check the password (or register, where allowed); return the user and a new token."""
    user = check_password(request, username, password)
    if user is None:
        exists = get_user_model().objects.filter(username=username).exists()
        if exists or not settings.LARDER_SELF_REGISTRATION:
            raise Refusal(401, BAD_LOGIN)
        user = _register(request, username, password, email)
    token, plain = create_token(
        user, name=f"npm login ({repository.name})", repositories=[repository]
    )
    record(request, "npm.login", repository=repository, target=username, token=token.prefix)
    return user, plain


@transaction.atomic
def make_token(
    request, repository: Repository, password: str, *, name: str, readonly: bool, expires_in_days
) -> tuple[ApiToken, str]:
    """`npm token create`: the account's password confirms it, as on the public npm registry."""
    user = request.user
    if check_password(request, user.get_username(), password) is None:
        raise Refusal(403, "the password is incorrect")
    token, plain = create_token(
        user,
        name=name or f"npm token ({repository.name})",
        readonly=readonly,
        expires_in_days=expires_in_days,
        repositories=[repository],
    )
    record(request, "token.create", repository=repository, target=token.prefix, via="npm")
    return token, plain


def drop_token(request, repository: Repository, token: ApiToken, action: str) -> None:
    revoke_token(token)
    record(request, action, repository=repository, target=token.prefix)
