"""Creating, changing and deleting repositories: validated once here for the API, the CLI
and the admin, each change audited.

Every rejection is a ValueError whose message a person can act on; nothing is written
before all checks pass.
"""

import re
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from repository.audit import record
from repository.cache.invalidation import repository_changed
from repository.formats import Format, all_formats, get_format
from repository.models import ApiToken, Package, RenderedDocument, Repository
from repository.models.repositories import REPOSITORY_NAME_RE
from repository.proxy.settings import clean_proxy_settings, public_proxy_settings
from repository.services.groups import clean_group_settings, groups_with_member

# The fields a caller may set besides name, format, kind and visibility.
EDITABLE_FIELDS = frozenset(
    {
        "description",
        "redeploy_policy",
        "delete_policy",
        "trash_days",
        "quota_bytes",
        "soft_quota_bytes",
        "settings",
    }
)


def _format_named(name: str) -> Format:
    try:
        return get_format(name)
    except LookupError:
        known = ", ".join(fmt.name for fmt in all_formats())
        raise ValueError(f"unknown format {name!r}; known formats: {known}") from None


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not re.fullmatch(REPOSITORY_NAME_RE.rstrip("$"), name):
        raise ValueError(
            f"invalid repository name {name!r}: use 1 to 64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    existing = Repository.objects.filter(name__iexact=name).values_list("name", flat=True).first()
    if existing is not None:
        raise ValueError(f"a repository named {existing!r} already exists")


def _check_kind(kind: str) -> None:
    if kind not in Repository.Kind.values:
        raise ValueError(f"unknown kind {kind!r}; one of: {', '.join(Repository.Kind.values)}")


def clean_settings(
    fmt: Format,
    kind: str,
    settings: Any,
    current: dict[str, Any] | None = None,
    *,
    repository_name: str = "",
) -> dict[str, Any]:
    """A repository's settings, checked: the kind's part by the core (a group's members,
    a proxy's `proxy`), the rest by the format. `current` (the stored settings, on an
    update) keeps the write-only upstream credentials an update leaves out."""
    if not isinstance(settings, dict):
        raise ValueError("settings must be a JSON object")
    if kind == Repository.Kind.GROUP:
        settings = clean_group_settings(repository_name, fmt.name, settings)
    rest = {key: value for key, value in settings.items() if key != "proxy"}
    cleaned = fmt.validate_settings(kind, rest)
    if kind != Repository.Kind.PROXY:
        if "proxy" in settings:
            raise ValueError("settings.proxy is for proxy repositories only")
        return cleaned
    if fmt.upstream_reader() is None:
        raise ValueError(f"{fmt.label} repositories cannot proxy an upstream")
    if "proxy" not in settings:
        raise ValueError("a proxy repository needs settings.proxy, with its upstream URL")
    stored = (current or {}).get("proxy")
    proxy = clean_proxy_settings(settings["proxy"], normalize=fmt.normalize_name, current=stored)
    return {**cleaned, "proxy": proxy}


def public_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Settings as the API and the UI show them: upstream credentials never echoed."""
    if "proxy" not in settings:
        return settings
    return {**settings, "proxy": public_proxy_settings(settings["proxy"])}


def _clean_fields(
    fmt: Format,
    kind: str,
    repository_name: str,
    fields: dict[str, Any],
    current: Repository | None = None,
) -> dict[str, Any]:
    """The editable fields, checked; settings by clean_settings()."""
    if "write_policy" in fields:
        raise ValueError(
            "write_policy was split in two: redeploy_policy (allowed or forbidden) and "
            "delete_policy (allowed, deployers or forbidden)"
        )
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"unknown repository field(s): {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    if "description" in cleaned and not isinstance(cleaned["description"], str):
        raise ValueError("description must be text")
    for name, choices in (
        ("redeploy_policy", Repository.RedeployPolicy),
        ("delete_policy", Repository.DeletePolicy),
    ):
        if name in cleaned and cleaned[name] not in choices.values:
            raise ValueError(f"{name} must be one of: {', '.join(choices.values)}")
    if "trash_days" in cleaned and not _whole(cleaned["trash_days"], minimum=0):
        raise ValueError("trash_days must be a whole number of days, 0 to delete at once")
    for name in ("quota_bytes", "soft_quota_bytes"):
        quota = cleaned.get(name)
        if quota is not None and not _whole(quota, minimum=1):
            raise ValueError(f"{name} must be a positive number of bytes, or null for none")
    hard = cleaned.get("quota_bytes", getattr(current, "quota_bytes", None))
    soft = cleaned.get("soft_quota_bytes", getattr(current, "soft_quota_bytes", None))
    if hard is not None and soft is not None and soft >= hard:
        raise ValueError("soft_quota_bytes must be below quota_bytes, to warn before refusing")
    if "settings" in cleaned or (current is None and kind != Repository.Kind.HOSTED):
        cleaned["settings"] = clean_settings(
            fmt,
            kind,
            cleaned.get("settings", {}),
            getattr(current, "settings", None),
            repository_name=repository_name,
        )
    return cleaned


def _whole(value, *, minimum: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def check_new_repository(name: str, fmt: str, kind: str, **fields) -> dict[str, Any]:
    """The editable fields of a repository about to be created, cleaned; or ValueError.

    For forms that validate before they save (the admin); create_repository() calls it too.
    """
    _check_name(name)
    format_ = _format_named(fmt)
    _check_kind(kind)
    if kind == Repository.Kind.GROUP and "settings" not in fields:
        raise ValueError("a group needs settings.members: the repositories it merges, in order")
    return _clean_fields(format_, kind, name, fields)


def check_changes(repository: Repository, **fields) -> dict[str, Any]:
    """The editable fields of an existing repository, cleaned; or ValueError."""
    return _clean_fields(
        get_format(repository.format), repository.kind, repository.name, fields, repository
    )


def create_repository(
    name: str,
    fmt: str,
    kind: str = Repository.Kind.HOSTED,
    private: bool = False,
    actor=None,
    *,
    request=None,
    **fields,
) -> Repository:
    """A new repository, or ValueError saying what is wrong (nothing is written then).

    `actor` is the user acting from a command line; with a `request` its user is the actor.
    """
    cleaned = check_new_repository(name, fmt, kind, **fields)
    try:
        with transaction.atomic():
            repository = Repository.objects.create(
                name=name, format=fmt, kind=kind, anonymous_read=not private, **cleaned
            )
            record(
                request,
                "repository.create",
                repository=repository,
                target=repository.name,
                actor=actor,
                format=repository.format,
                kind=repository.kind,
                private=private,
            )
    except IntegrityError:
        raise ValueError(f"a repository named {name!r} already exists") from None
    return repository


@transaction.atomic
def update_repository(
    repository: Repository, *, private: bool | None = None, actor=None, request=None, **fields
) -> Repository:
    """Change visibility and editable fields; name, format and kind are fixed for life."""
    cleaned = check_changes(repository, **fields)
    if private is not None:
        cleaned["anonymous_read"] = not private
    changed = {
        field: value for field, value in cleaned.items() if getattr(repository, field) != value
    }
    if not changed:
        return repository
    for field, value in changed.items():
        setattr(repository, field, value)
    repository.save(update_fields=[*changed, "updated"])
    if "settings" in changed:
        _forget_rendered_documents(repository)
    record(
        request,
        "repository.update",
        repository=repository,
        target=repository.name,
        actor=actor,
        fields=sorted(changed),
    )
    return repository


def _forget_rendered_documents(repository: Repository) -> None:
    """Settings may change how a format renders its documents: none rendered before may be
    served again, from the table or from any process's memory (both keyed on generations)."""
    Package.objects.filter(repository=repository).update(
        generation=F("generation") + 1, updated=timezone.now()
    )
    RenderedDocument.objects.filter(repository=repository).delete()
    repository_changed(repository)


@transaction.atomic
def delete_repository(repository: Repository, *, actor=None, request=None) -> None:
    """Delete the repository and its records; the blobs go to garbage collection.

    A token limited to this repository alone would, with its limit gone, reach every
    repository its user can: such tokens are revoked instead. A member of a group is not
    deleted while the group lists it.
    """
    groups = groups_with_member(repository)
    if groups:
        raise ValueError(
            f"repository {repository.name} is a member of {', '.join(groups)}: remove it from "
            "the group's members first"
        )
    limited_here = ApiToken.objects.filter(repositories=repository, revoked__isnull=True)
    orphaned = dict(
        ApiToken.objects.filter(pk__in=limited_here.values("pk"))
        .annotate(limits=Count("repositories"))
        .filter(limits=1)
        .values_list("pk", "prefix")
    )
    ApiToken.objects.filter(pk__in=orphaned).update(revoked=timezone.now())
    name = repository.name
    repository.delete()
    record(
        request,
        "repository.delete",
        repository=name,
        target=name,
        actor=actor,
        revoked_tokens=sorted(orphaned.values()),
    )
