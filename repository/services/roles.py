"""Granting and revoking roles on a repository, each audited."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from repository.audit import record
from repository.models import Repository, RepositoryRole, Role


def _subject(username: str | None, group_name: str | None):
    """The user or the group a grant names: exactly one of them, and it must exist."""
    if bool(username) == bool(group_name):
        raise ValueError("name either a user or a group")
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise ValueError(f"no user named {username}")
        return {"user": user, "group": None}
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        raise ValueError(f"no group named {group_name}")
    return {"user": None, "group": group}


@transaction.atomic
def grant_role(
    repository: Repository | None,
    role: str,
    *,
    username: str | None = None,
    group_name: str | None = None,
    request=None,
) -> tuple[RepositoryRole, bool]:
    """Grant `role` on the repository (None: on all of them); granting what is already
    granted changes nothing."""
    if role not in Role.values:
        raise ValueError(f"role must be one of: {', '.join(Role.values)}")
    subject = _subject(username, group_name)
    grant, created = RepositoryRole.objects.get_or_create(
        repository=repository, role=role, **subject
    )
    if created:
        record(request, "role.grant", repository=repository, target=str(grant), role=role)
    return grant, created


@transaction.atomic
def revoke_role(grant: RepositoryRole, *, request=None) -> None:
    target, repository = str(grant), grant.repository
    grant.delete()
    record(request, "role.revoke", repository=repository, target=target)
