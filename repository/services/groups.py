"""A group repository's settings: its members in order, where writes go, what it claims.

`members`: names of repositories of the group's format, hosted or proxy (a group of groups
could make a cycle, and is refused), asked in this order. `write_to`: a hosted member that
receives uploads made to the group's URL (none: the group takes no uploads). `claims`: name
patterns (`corp-*`, `@corp/*`) kept for the hosted members: proxy members are never asked
for them. `shield` (default on): proxy members are left out of a name a hosted member has.
"""

from repository.models import Repository

GROUP_KEYS = ("members", "write_to", "claims", "shield")


def _names(value, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ValueError(f"{what} must be a list of names")
    return value


def clean_group_settings(group: str, fmt: str, settings: dict) -> dict:
    """The group part of `settings`, checked against the repositories it names."""
    members = _names(settings.get("members"), "a group's settings.members")
    if not members:
        raise ValueError("a group needs at least one member (settings.members)")
    if len(set(members)) != len(members):
        raise ValueError("each member may appear only once in settings.members")
    if group in members:
        raise ValueError(f"group {group} cannot be a member of itself")
    found = {repo.name: repo for repo in Repository.objects.filter(name__in=members)}
    for name in members:
        member = found.get(name)
        if member is None:
            raise ValueError(f"no repository named {name!r} to be a member")
        if member.format != fmt:
            raise ValueError(f"member {name} is a {member.format} repository, not {fmt}")
        if member.kind == Repository.Kind.GROUP:
            raise ValueError(f"member {name} is a group; a group's members are hosted or proxy")
    write_to = settings.get("write_to") or None
    if write_to is not None and (
        write_to not in members or found[write_to].kind != Repository.Kind.HOSTED
    ):
        raise ValueError("settings.write_to must name a hosted member of the group")
    claims = _names(settings.get("claims", []), "settings.claims")
    shield = settings.get("shield", True)
    if not isinstance(shield, bool):
        raise ValueError("settings.shield must be true or false")
    return {
        **settings,
        "members": members,
        "write_to": write_to,
        "claims": claims,
        "shield": shield,
    }


def groups_with_member(repository: Repository) -> list[str]:
    """Names of the groups that list `repository` among their members."""
    groups = Repository.objects.filter(kind=Repository.Kind.GROUP, format=repository.format)
    return [group.name for group in groups if repository.name in group.settings.get("members", [])]
