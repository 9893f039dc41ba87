"""Moving deleted versions and files into the trash, through the core's delete services.

Each entry keeps a JSON snapshot (the version, its files with their sidecars, the tags that
named it, its pin) and a TrashBlob per blob, so blob GC spares the bytes until the purge.
The live rows are deleted by repository/services/packages.py like any deletion, so every
index, packument and listing stops showing them in the same transaction, and no read path
needs to know the trash exists. A repository with trash_days 0 deletes at once.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.utils import timezone

from repository.models import (
    Asset,
    Package,
    PolicyRun,
    Sidecar,
    Tag,
    TrashBlob,
    TrashEntry,
    Version,
    VersionPin,
)
from repository.services.packages import delete_asset, delete_package, delete_versions


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _asset_snapshot(asset: Asset, sidecars: list[Sidecar]) -> dict:
    return {
        "path": asset.path,
        "filename": asset.filename,
        "content_type": asset.content_type,
        "metadata": asset.metadata,
        "blob": asset.blob_id,
        "uploader": asset.uploader_id,
        "created": _when(asset.created),
        "updated": _when(asset.updated),
        "last_downloaded": _when(asset.last_downloaded),
        "download_count": asset.download_count,
        "sidecars": [{"role": s.role, "blob": s.blob_id} for s in sidecars],
    }


def _version_snapshot(version: Version) -> dict:
    return {
        "version": version.version,
        "metadata": version.metadata,
        "yanked": version.yanked,
        "yanked_reason": version.yanked_reason,
        "deprecated": version.deprecated,
        "uploader": version.uploader_id,
        "created": _when(version.created),
        "last_downloaded": _when(version.last_downloaded),
        "download_count": version.download_count,
    }


def _package_snapshot(package: Package | None) -> dict | None:
    if package is None:
        return None
    return {
        "name": package.name,
        "display_name": package.display_name,
        "metadata": package.metadata,
    }


def _sidecars_of(assets: list[Asset]) -> dict[int, list[Sidecar]]:
    found = defaultdict(list)
    for sidecar in Sidecar.objects.filter(asset__in=[a.pk for a in assets]).order_by("role"):
        found[sidecar.asset_id].append(sidecar)
    return found


def _blobs(snapshot_assets: list[dict]) -> set[str]:
    blobs = set()
    for asset in snapshot_assets:
        if asset["blob"]:
            blobs.add(asset["blob"])
        blobs.update(sidecar["blob"] for sidecar in asset["sidecars"])
    return blobs


def _entry(package: Package | None, kind: str, snapshot: dict, size: int, **fields):
    return TrashEntry(
        kind=kind,
        package_name=package.name if package else "",
        display_name=package.display_name if package else "",
        snapshot=snapshot,
        size=size,
        **fields,
    )


def _save(entries: list[TrashEntry]) -> None:
    """Entries and the blob references that keep their bytes."""
    TrashEntry.objects.bulk_create(entries)
    TrashBlob.objects.bulk_create(
        TrashBlob(entry=entry, blob_id=blob)
        for entry in entries
        for blob in sorted(_blobs(entry.snapshot["assets"]))
    )


def _common(repository, reason: str, actor, run) -> dict:
    now = timezone.now()
    return {
        "repository": repository,
        "purge_after": now + timedelta(days=repository.trash_days),
        "reason": reason[:255],
        "actor": actor if actor is not None and actor.is_authenticated else None,
        "run": run,
    }


def _assets_of(versions: list[Version]) -> dict[int, list[Asset]]:
    by_version = defaultdict(list)
    assets = Asset.objects.filter(version__in=[v.pk for v in versions])
    for asset in assets.select_related("blob").order_by("path"):
        by_version[asset.version_id].append(asset)
    return by_version


def trash_versions(
    package: Package,
    versions: list[Version],
    *,
    reason: str,
    actor=None,
    run: PolicyRun | None = None,
    why: dict[int, str] | None = None,
) -> list[TrashEntry]:
    """Delete `versions` of `package` (their files, tags and pins with them) into the trash.

    `why` adds a version's own reason (the rules it matched) to `reason`. A package left
    with no versions and no files is deleted too; restoring one of its versions brings it
    back. Returns the entries made (none when trash_days is 0).
    """
    repository = package.repository
    entries = []
    if repository.trash_days:
        assets = _assets_of(versions)
        sidecars = _sidecars_of([a for group in assets.values() for a in group])
        tags = defaultdict(list)
        for name, version_id in Tag.objects.filter(version__in=versions).values_list(
            "name", "version_id"
        ):
            tags[version_id].append(name)
        pins = {pin.version_id: pin for pin in VersionPin.objects.filter(version__in=versions)}
        why = why or {}
        for version in versions:
            said = f"{reason}: {why[version.pk]}" if why.get(version.pk) else reason
            common = _common(repository, said, actor, run)
            files = [_asset_snapshot(a, sidecars[a.pk]) for a in assets[version.pk]]
            pin = pins.get(version.pk)
            snapshot = {
                "package": _package_snapshot(package),
                "version": _version_snapshot(version),
                "assets": files,
                "tags": sorted(tags[version.pk]),
                "pin": {"reason": pin.reason, "pinned_by": pin.pinned_by_id} if pin else None,
            }
            size = sum(a.blob.size for a in assets[version.pk] if a.blob is not None)
            entries.append(
                _entry(
                    package,
                    TrashEntry.Kind.VERSION,
                    snapshot,
                    size,
                    version=version.version,
                    **common,
                )
            )
        _save(entries)
    delete_versions(package, [v.pk for v in versions])
    _drop_if_empty(package)
    return entries


def _drop_if_empty(package: Package) -> None:
    if not package.versions.exists() and not package.assets.exists():
        delete_package(package)


def trash_version(version: Version, *, reason: str, actor=None) -> TrashEntry | None:
    entries = trash_versions(version.package, [version], reason=reason, actor=actor)
    return entries[0] if entries else None


def trash_file(asset: Asset, *, reason: str, actor=None) -> TrashEntry | None:
    """Delete one file into the trash; the last file of a version takes its version along."""
    version = asset.version
    if version is not None and not version.assets.exclude(pk=asset.pk).exists():
        return trash_version(version, reason=reason, actor=actor)
    repository, package = asset.repository, asset.package
    entry = None
    if repository.trash_days:
        snapshot = {
            "package": _package_snapshot(package),
            "version": {"version": version.version} if version else None,
            "assets": [_asset_snapshot(asset, _sidecars_of([asset])[asset.pk])],
            "tags": [],
            "pin": None,
        }
        entry = _entry(
            package,
            TrashEntry.Kind.FILE,
            snapshot,
            asset.blob.size if asset.blob is not None else 0,
            path=asset.path,
            version=version.version if version else "",
            **_common(repository, reason, actor, None),
        )
        _save([entry])
    delete_asset(asset)
    if package is not None:
        _drop_if_empty(package)
    return entry


def trash_package(package: Package, *, reason: str, actor=None) -> list[TrashEntry]:
    """Every version of the package, then the package itself."""
    entries = []
    for asset in package.assets.filter(version__isnull=True):
        entries.append(trash_file(asset, reason=reason, actor=actor))
    versions = list(package.versions.all())
    if versions:
        entries.extend(trash_versions(package, versions, reason=reason, actor=actor))
    if Package.objects.filter(pk=package.pk).exists():
        delete_package(package)
    return [entry for entry in entries if entry is not None]
