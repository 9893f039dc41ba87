"""Operator actions on accounts: the admin user and API tokens, each one audited."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction

from repository.access.tokens import create_token
from repository.audit import record
from repository.models import Repository


@dataclass
class AdminResult:
    created: bool
    password_changed: bool
    # Set only when Larder chose the password: shown once, never stored in plain text.
    generated_password: str | None = None


@transaction.atomic
def ensure_admin(username: str, password: str | None) -> AdminResult:
    """The superuser exists, active, with this password (or a generated one when new).

    Safe to run on every start: with the same password it changes nothing.
    """
    User = get_user_model()
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        generated = None if password else secrets.token_urlsafe(18)
        User.objects.create_superuser(username, email="", password=password or generated)
        record(None, "user.create", target=username, superuser=True, via="cli")
        return AdminResult(created=True, password_changed=False, generated_password=generated)
    changed_fields = [
        flag for flag in ("is_superuser", "is_staff", "is_active") if not getattr(user, flag)
    ]
    for flag in changed_fields:
        setattr(user, flag, True)
    password_changed = bool(password) and not user.check_password(password)
    if password_changed:
        user.set_password(password)
        changed_fields.append("password")
    if changed_fields:
        user.save(update_fields=changed_fields)
        record(None, "user.update", target=username, fields=changed_fields, via="cli")
    return AdminResult(created=False, password_changed=password_changed)


@transaction.atomic
def issue_token(
    username: str,
    *,
    name: str = "",
    expires_in_days: int | None = None,
    readonly: bool = False,
    repository_names: list[str] | None = None,
) -> str:
    """A new API token for the user; the plain token is returned once and never stored."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no user named {username!r}")
    if expires_in_days is not None and expires_in_days <= 0:
        raise CommandError("--expires must be a positive number of days")
    repositories = []
    for repository_name in repository_names or []:
        repository = Repository.objects.filter(name=repository_name).first()
        if repository is None:
            raise CommandError(f"no repository named {repository_name!r}")
        repositories.append(repository)
    token, plain = create_token(
        user,
        name=name,
        expires_in_days=expires_in_days,
        readonly=readonly,
        repositories=repositories,
    )
    record(
        None,
        "token.create",
        target=token.prefix,
        user=username,
        name=name,
        readonly=readonly,
        expires=token.expires.isoformat() if token.expires else None,
        repositories=[r.name for r in repositories],
        via="cli",
    )
    return plain
