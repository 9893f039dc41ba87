"""Local users and groups, managed by superusers in the UI; each change audited.

Users signed in through LDAP or OIDC are made by their backends on first sign-in; these
functions make and change local accounts and group membership.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from repository.audit import record


def _check_password(password: str, user=None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from None


@transaction.atomic
def create_user(username: str, password: str, *, email: str = "", request=None):
    username = username.strip()
    if not username:
        raise ValueError("a user needs a name")
    _check_password(password)
    User = get_user_model()
    try:
        with transaction.atomic():
            user = User.objects.create_user(username, email=email, password=password)
    except IntegrityError:
        raise ValueError(f"a user named {username} already exists") from None
    record(request, "user.create", target=username)
    return user


@transaction.atomic
def set_active(user, active: bool, *, request=None) -> None:
    """Deactivated users can no longer sign in, and their tokens stop working at once."""
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(request, "user.activate" if active else "user.deactivate", target=user.username)


@transaction.atomic
def reset_password(user, password: str, *, request=None) -> None:
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(request, "user.password-reset", target=user.username)


@transaction.atomic
def create_group(name: str, *, request=None) -> Group:
    name = name.strip()
    if not name:
        raise ValueError("a group needs a name")
    group, created = Group.objects.get_or_create(name=name)
    if not created:
        raise ValueError(f"a group named {name} already exists")
    record(request, "group.create", target=name)
    return group


@transaction.atomic
def add_member(group: Group, username: str, *, request=None) -> None:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValueError(f"no user named {username}")
    group.user_set.add(user)
    record(request, "group.add-member", target=group.name, user=username)


@transaction.atomic
def remove_member(group: Group, user, *, request=None) -> None:
    group.user_set.remove(user)
    record(request, "group.remove-member", target=group.name, user=user.username)
