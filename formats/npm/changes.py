"""Writes after publish: deprecations, dist-tags and unpublishing (into the trash, where
the repository keeps one, under its delete policy).

npm sends most of these as a whole packument (CouchDB style) with the `_rev` it read; we
apply only the change it carries, and refuse a `_rev` that is no longer current (409) so
two writers never silently undo each other.
"""

from typing import Any

from django.db import transaction

from formats.npm.packument import revision
from formats.npm.summary import refresh_summary
from repository.access.deletion import deletion_refusal
from repository.access.permissions import may_maintain, may_move_tag
from repository.audit import record
from repository.formats import Format
from repository.models import Asset, Package, Repository, Tag
from repository.refusals import Refusal
from repository.retention.trash import trash_file, trash_package, trash_versions


def _locked(package: Package, rev: str | None) -> Package:
    locked = Package.objects.select_for_update().get(pk=package.pk)
    if rev is not None and rev != revision(locked):
        raise Refusal(409, f"document update conflict: revision {rev} is not current")
    return locked


def _require_delete(request, repository: Repository) -> None:
    if reason := deletion_refusal(request, repository):
        raise Refusal(403, f"cannot unpublish: {reason}")


def _require_tag_right(request, repository: Repository, uploader_ids) -> None:
    if not may_move_tag(request, repository, uploader_ids):
        raise Refusal(
            403,
            "a deployer moves only the dist-tags of versions it published; moving others"
            f" needs the maintainer role on {repository.name}",
        )


@transaction.atomic
def apply_deprecations(
    request, repository: Repository, fmt: Format, package: Package, document: dict[str, Any]
) -> dict[str, str]:
    """Set each listed version's `deprecated` message ("" or absent undeprecates)."""
    if not may_maintain(request, repository):
        raise Refusal(403, f"deprecating needs the maintainer role on {repository.name}")
    package = _locked(package, document.get("_rev"))
    wanted = document.get("versions")
    if not isinstance(wanted, dict):
        raise Refusal(400, "the document must carry versions")
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
    request, repository: Repository, package: Package, document: dict[str, Any], rev: str
) -> list[str]:
    """`npm unpublish pkg@ver`: the document comes back without the versions to remove."""
    package = _locked(package, rev)
    kept = document.get("versions")
    if not isinstance(kept, dict):
        raise Refusal(400, "the document must carry versions")
    removed = list(package.versions.exclude(version__in=list(kept)))
    if not removed:
        return []
    _require_delete(request, repository)
    names = [v.version for v in removed]
    if len(removed) == package.versions.count():
        trash_package(package, reason="npm unpublish", actor=request.user)
    else:
        trash_versions(package, removed, reason="npm unpublish", actor=request.user)
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
    request, repository: Repository, package: Package, asset: Asset, rev: str
) -> None:
    """The last step of a version unpublish; a tarball is never left without its version."""
    package = _locked(package, rev)
    _require_delete(request, repository)
    trash_file(asset, reason="npm unpublish", actor=request.user)
    record(request, "npm.unpublish", repository=repository, target=asset.path)


@transaction.atomic
def set_tag(
    request, repository: Repository, fmt: Format, package: Package, tag: str, version: str
) -> None:
    package = _locked(package, None)
    target = package.versions.filter(version=version).first()
    if target is None:
        raise Refusal(404, f"{package.name}@{version} does not exist")
    current = package.tags.filter(name=tag).values_list("version__uploader_id", flat=True)
    _require_tag_right(request, repository, [target.uploader_id, *current])
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
        raise Refusal(400, "the latest dist-tag cannot be removed; point it elsewhere instead")
    current = package.tags.filter(name=tag).values_list("version__uploader_id", flat=True)
    _require_tag_right(request, repository, current)
    deleted, _ = Tag.objects.filter(package=package, name=tag).delete()
    if not deleted:
        raise Refusal(404, f"{tag} is not a dist-tag on {package.name}")
    refresh_summary(package, fmt)
    record(request, "npm.dist-tag.rm", repository=repository, target=package.name, tag=tag)
