"""Issuing and revoking API tokens on a user's behalf, each audited."""

from django.db import transaction

from repository.access.tokens import create_token, revoke_token
from repository.audit import record
from repository.models import ApiToken, Repository


@transaction.atomic
def issue_api_token(
    user,
    *,
    name: str = "",
    expires_in_days: int | None = None,
    readonly: bool = False,
    repositories: list[Repository] | tuple = (),
    request=None,
    actor=None,
) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain text is returned now and never again."""
    if expires_in_days is not None and expires_in_days <= 0:
        raise ValueError("expires_in_days must be a positive number of days")
    token, plain = create_token(
        user,
        name=name,
        expires_in_days=expires_in_days,
        readonly=readonly,
        repositories=repositories,
    )
    record(
        request,
        "token.create",
        target=token.prefix,
        actor=actor,
        user=user.get_username(),
        name=name,
        readonly=readonly,
        expires=token.expires.isoformat() if token.expires else None,
        repositories=sorted(repository.name for repository in repositories),
    )
    return token, plain


@transaction.atomic
def revoke_api_token(token: ApiToken, *, request=None, actor=None) -> None:
    """Revoke the token: it stops working at once and stays listed in the audit trail."""
    revoke_token(token)
    record(
        request, "token.revoke", target=token.prefix, actor=actor, user=token.user.get_username()
    )
