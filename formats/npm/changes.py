"""Writes after publish: deprecations, dist-tags and unpublishing (into the trash, where
the repository keeps one, under its delete policy).

npm sends most of these as a whole packument (CouchDB style) with the `_rev` it read; we
apply only the change it carries, and refuse a `_rev` that is no longer current (409) so
two writers never silently undo each other.
"""

from typing import Any

from django.db import transaction

from formats.npm.errors import NpmError
from formats.npm.packument import revision
from formats.npm.summary import refresh_summary
from repository.access.deletion import deletion_refusal
from repository.audit import record
from repository.formats import Format
from repository.models import Asset, Package, Repository, Tag
from repository.retention.trash import trash_file, trash_package, trash_versions


def _locked(package: Package, rev: str | None) -> Package:
    locked = Package.objects.select_for_update().get(pk=package.pk)
    if rev is not None and rev != revision(locked):
        raise NpmError(409, f"document update conflict: revision {rev} is not current")
    return locked


def _require_delete(request, repository: Repository) -> None:
    if reason := deletion_refusal(request, repository):
        raise NpmError(403, f"cannot unpublish: {reason}")


@transaction.atomic
def apply_deprecations(
    request, repository: Repository, fmt: Format, package: Package, document: dict[str, Any]
) -> dict[str, str]:
    """Set each listed version's `deprecated` message ("" or absent undeprecates)."""
    package = _locked(package, document.get("_rev"))
    wanted = document.get("versions")
    if not isinstance(wanted, dict):
        raise NpmError(400, "the document must carry versions")
    changed = {}
    for version in package.versions.filter(version__in=list(wanted)):
        entry = wanted[version.version]
        message = entry.get("deprecated") if isinstance(entry, dict) else None
        message = message if isinstance(message, str) else ""
        if message != version.deprecated:
            version.deprecated = message
            version.save(update_fields=["deprecated"])
            changed[version.version] = message
    if changed:
        refresh_summary(package, fmt)
        record(
            request, "npm.deprecate", repository=repository, target=package.name, messages=changed
        )
    return changed


@transaction.atomic
def unpublish_versions(
    request,
    repository: Repository,
    fmt: Format,
    package: Package,
    document: dict[str, Any],
    rev: str,
) -> list[str]:
    """`npm unpublish pkg@ver`: the document comes back without the versions to remove."""
    package = _locked(package, rev)
    kept = document.get("versions")
    if not isinstance(kept, dict):
        raise NpmError(400, "the document must carry versions")
    removed = list(package.versions.exclude(version__in=list(kept)))
    if not removed:
        return []
    _require_delete(request, repository)
    names = [v.version for v in removed]
    if len(removed) == package.versions.count():
        trash_package(package, reason="npm unpublish", actor=request.user)
    else:
        trash_versions(package, removed, reason="npm unpublish", actor=request.user)
        refresh_summary(package, fmt)
    record(request, "npm.unpublish", repository=repository, target=package.name, versions=names)
    return names


@transaction.atomic
def unpublish_package(request, repository: Repository, package: Package, rev: str) -> None:
    """`npm unpublish pkg --force`: every version and tarball goes."""
    package = _locked(package, rev)
    _require_delete(request, repository)
    versions = list(package.versions.values_list("version", flat=True))
    trash_package(package, reason="npm unpublish", actor=request.user)
    record(request, "npm.unpublish", repository=repository, target=package.name, versions=versions)


@transaction.atomic
def delete_tarball(
    request, repository: Repository, fmt: Format, package: Package, asset: Asset, rev: str
) -> None:
    """The last step of a version unpublish; a tarball is never left without its version."""
    package = _locked(package, rev)
    _require_delete(request, repository)
    trash_file(asset, reason="npm unpublish", actor=request.user)
    if Package.objects.filter(pk=package.pk).exists():
        refresh_summary(package, fmt)
    record(request, "npm.unpublish", repository=repository, target=asset.path)


@transaction.atomic
def set_tag(
    request, repository: Repository, fmt: Format, package: Package, tag: str, version: str
) -> None:
    package = _locked(package, None)
    target = package.versions.filter(version=version).first()
    if target is None:
        raise NpmError(404, f"{package.name}@{version} does not exist")
    Tag.objects.update_or_create(package=package, name=tag, defaults={"version": target})
    refresh_summary(package, fmt)
    record(
        request,
        "npm.dist-tag.add",
        repository=repository,
        target=package.name,
        tag=tag,
        version=version,
    )


@transaction.atomic
def remove_tag(request, repository: Repository, fmt: Format, package: Package, tag: str) -> None:
    package = _locked(package, None)
    if tag == "latest":
        raise NpmError(400, "the latest dist-tag cannot be removed; point it elsewhere instead")
    deleted, _ = Tag.objects.filter(package=package, name=tag).delete()
    if not deleted:
        raise NpmError(404, f"{tag} is not a dist-tag on {package.name}")
    refresh_summary(package, fmt)
    record(request, "npm.dist-tag.rm", repository=repository, target=package.name, tag=tag)
