"""Yanking a version from the command line, in any format (names normalized its way)."""

from django.core.management.base import CommandError
from django.db import transaction

from repository.audit import record
from repository.formats import get_format
from repository.models import Package, Repository, Version
from repository.services.packages import set_yanked


@transaction.atomic
def yank(repository_name: str, project: str, version: str, *, reason: str, undo: bool) -> Version:
    repository = Repository.objects.filter(name=repository_name).first()
    if repository is None:
        raise CommandError(f"no repository named {repository_name!r}")
    fmt = get_format(repository.format)
    name = fmt.normalize_name(project)
    package = Package.objects.filter(repository=repository, name=name).first()
    if package is None:
        raise CommandError(f"no package {project!r} in repository {repository.name}")
    found = (
        Version.objects.select_for_update()
        .filter(package=package, version=fmt.normalize_version(version))
        .first()
    )
    if found is None:
        raise CommandError(f"{package.display_name} has no version {version!r}")
    set_yanked(found, not undo, reason)
    record(
        None,
        "version.unyank" if undo else "version.yank",
        repository=repository,
        target=f"{package.name} {found.version}",
        reason=reason,
        via="cli",
    )
    return found
