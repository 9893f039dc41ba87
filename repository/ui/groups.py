"""What the UI shows of a group: its members in order (and, for its admins, a way to reorder
them), and on a package page which member served the package and whether the shield kept a
proxy member's versions of that name out."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from repository.access.permissions import has_role
from repository.cache.rows import Reads
from repository.models import Package, Repository, Role
from repository.services.repositories import update_repository
from repository.sources import ContentSource, source_for
from repository.sources.group import GroupSource
from repository.ui.access import not_found, readable_repository


@dataclass(frozen=True)
class MemberRow:
    name: str
    kind: str
    visible: bool
    writes_here: bool


def ui_source(request: HttpRequest, repository: Repository) -> ContentSource:
    """The repository's content as this visitor may see it (a group: the members they read)."""
    return source_for(
        repository,
        Reads(keep=False),
        readable=lambda member: has_role(request, member, Role.READER),
    )


def member_rows(source: ContentSource) -> list[MemberRow]:
    if not isinstance(source, GroupSource):
        return []
    write_to = source.repository.settings.get("write_to")
    return [
        MemberRow(m.repository.name, m.repository.kind, m.visible, m.repository.name == write_to)
        for m in source.members
    ]


def is_proxied(repository: Repository, members: list[MemberRow]) -> bool:
    """Whether some of the repository's files may not be cached yet (a proxy's, or a
    group's with a proxy member)."""
    kinds = {repository.kind, *(member.kind for member in members)}
    return Repository.Kind.PROXY in kinds


@dataclass(frozen=True)
class Provenance:
    """Where a group's package came from, and which proxy members the shield left out."""

    served_by: str
    shielded: list[str]
    claimed: bool


def provenance(source: ContentSource, package: Package) -> Provenance | None:
    if not isinstance(source, GroupSource):
        return None
    proxies = [m for m in source.members if m.proxy and m.visible]
    shielded = source.shielded(package.name)
    held_back = [
        m.repository.name
        for m in proxies
        if shielded and not source.claimed(package.name) and m.source.package(package.name)
    ]
    return Provenance(package.repository.name, held_back, source.claimed(package.name))


@require_POST
def move_member(request: HttpRequest, name: str) -> HttpResponse:
    """Move one member up or down the group's order; the group's admins only."""
    group = readable_repository(request, name)
    if group is None or group.kind != Repository.Kind.GROUP:
        return not_found(request)
    if not has_role(request, group, Role.ADMIN):
        return HttpResponse("you may not change this group's members", status=403)
    members = list(group.settings.get("members", []))
    member, step = request.POST.get("member"), -1 if request.POST.get("move") == "up" else 1
    if member in members:
        at = members.index(member)
        to = min(max(at + step, 0), len(members) - 1)
        members.insert(to, members.pop(at))
        update_repository(group, request=request, settings={**group.settings, "members": members})
        messages.success(request, f"{member} is now member {to + 1} of {len(members)}.")
    return redirect("ui:repository-detail", name=group.name)
