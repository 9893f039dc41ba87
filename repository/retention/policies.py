"""Creating, changing and deleting policies, and pinning versions: checked once here for the
UI, the API and the CLI, each change audited, the beat schedule kept in step."""

from typing import Any

from django.db import IntegrityError, transaction

from repository.audit import record
from repository.models import Repository, RetentionPolicy, Version, VersionPin
from repository.retention.rules import RULE_FIELDS, Rules
from repository.retention.schedules import check_schedule, remove_schedule, sync_schedule

FIELDS = frozenset({*RULE_FIELDS, "description", "schedule", "enabled"})
_DAYS = ("keep_newest", "older_than_days", "not_downloaded_days", "cached_not_downloaded_days")


def _whole_or_none(name: str, value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{name} must be a whole number of 0 or more, or empty")
    return value


def clean_fields(fields: dict[str, Any], current: RetentionPolicy | None = None) -> dict:
    """The fields, checked and normalized; the rules they leave must select something."""
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValueError(f"unknown policy field(s): {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    for name in _DAYS:
        if name in cleaned:
            cleaned[name] = _whole_or_none(name, cleaned[name])
    for name in ("description", "name_glob", "schedule"):
        if name in cleaned and not isinstance(cleaned[name], str):
            raise ValueError(f"{name} must be text")
    for name in ("delete_last_version", "enabled"):
        if name in cleaned and not isinstance(cleaned[name], bool):
            raise ValueError(f"{name} must be true or false")
    if "schedule" in cleaned:
        cleaned["schedule"] = check_schedule(cleaned["schedule"])
    rules = {field: getattr(current, field) for field in RULE_FIELDS} if current else {}
    rules.update({k: v for k, v in cleaned.items() if k in RULE_FIELDS})
    Rules(**rules).check()
    return cleaned


def check_name(name: str, current: RetentionPolicy | None = None) -> str:
    name = name.strip() if isinstance(name, str) else ""
    if not name or len(name) > 100:
        raise ValueError("a policy needs a name of 1 to 100 characters")
    taken = RetentionPolicy.objects.filter(name=name)
    if current is not None:
        taken = taken.exclude(pk=current.pk)
    if taken.exists():
        raise ValueError(f"a policy named {name!r} already exists")
    return name


def repositories_named(names: list[str]) -> list[Repository]:
    found = {r.name: r for r in Repository.objects.filter(name__in=names)}
    missing = [name for name in names if name not in found]
    if missing:
        raise ValueError(f"no repository named {', '.join(missing)}")
    return [found[name] for name in names]


@transaction.atomic
def create_policy(
    name: str, *, repositories: list[Repository], request=None, actor=None, **fields
) -> RetentionPolicy:
    """A new policy, or ValueError saying what is wrong (nothing is written then)."""
    name = check_name(name)
    cleaned = clean_fields(fields)
    user = getattr(request, "user", None) if request is not None else actor
    try:
        with transaction.atomic():
            policy = RetentionPolicy.objects.create(
                name=name,
                created_by=user if user is not None and user.is_authenticated else None,
                **cleaned,
            )
    except IntegrityError:
        raise ValueError(f"a policy named {name!r} already exists") from None
    policy.repositories.set(repositories)
    sync_schedule(policy)
    record(
        request,
        "retention.policy.create",
        target=policy.name,
        actor=actor,
        repositories=sorted(r.name for r in repositories),
        rules={field: getattr(policy, field) for field in RULE_FIELDS},
        schedule=policy.schedule,
    )
    return policy


@transaction.atomic
def update_policy(
    policy: RetentionPolicy,
    *,
    name: str | None = None,
    repositories: list[Repository] | None = None,
    request=None,
    actor=None,
    **fields,
) -> RetentionPolicy:
    cleaned = clean_fields(fields, policy)
    if name is not None:
        cleaned["name"] = check_name(name, policy)
    changed = sorted(field for field, value in cleaned.items() if getattr(policy, field) != value)
    for field in changed:
        setattr(policy, field, cleaned[field])
    policy.save()
    if repositories is not None:
        before = set(policy.repositories.values_list("name", flat=True))
        policy.repositories.set(repositories)
        if before != {r.name for r in repositories}:
            changed.append("repositories")
    sync_schedule(policy)
    if changed:
        record(request, "retention.policy.update", target=policy.name, actor=actor, fields=changed)
    return policy


@transaction.atomic
def delete_policy(policy: RetentionPolicy, *, request=None, actor=None) -> None:
    remove_schedule(policy)
    name = policy.name
    policy.delete()
    record(request, "retention.policy.delete", target=name, actor=actor)


@transaction.atomic
def pin_version(version: Version, *, reason: str = "", request=None, actor=None) -> VersionPin:
    """Keep this version whatever any policy says (tags protect their versions too)."""
    user = getattr(request, "user", None) if request is not None else actor
    pin, _ = VersionPin.objects.update_or_create(
        version=version,
        defaults={
            "reason": reason[:255],
            "pinned_by": user if user is not None and user.is_authenticated else None,
        },
    )
    record(
        request,
        "version.pin",
        repository=version.package.repository,
        target=f"{version.package.name} {version.version}",
        actor=actor,
        reason=reason,
    )
    return pin


@transaction.atomic
def unpin_version(version: Version, *, request=None, actor=None) -> bool:
    deleted, _ = VersionPin.objects.filter(version=version).delete()
    if deleted:
        record(
            request,
            "version.unpin",
            repository=version.package.repository,
            target=f"{version.package.name} {version.version}",
            actor=actor,
        )
    return bool(deleted)
