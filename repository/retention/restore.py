"""Bringing trash entries back, as they were, or purging them for good.

A restore recreates the rows from the entry's snapshot through the core's services (so
documents and the format's derived state follow at once), then drops the entry. It is
refused, with the reason, when the version number or a file path was published again
meanwhile: Larder never replaces what clients may already have installed.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from repository.audit import record
from repository.formats import get_format
from repository.models import Asset, Blob, Package, Tag, TrashEntry, Version, VersionPin
from repository.services.packages import (
    QuotaExceeded,
    add_asset,
    attach_sidecar,
    ensure_package,
    ensure_version,
    versions_changed,
)

PURGE_BATCH = 500


class RestoreRefused(Exception):
    """Why an entry cannot be restored; the entry stays in the trash."""


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _user(user_id: int | None):
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id).first()


def _version_exists(package: Package | None, number: str) -> bool:
    return package is not None and package.versions.filter(version=number).exists()


def _check_free(entry: TrashEntry, package: Package | None) -> None:
    snapshot = entry.snapshot
    version = snapshot["version"]
    is_version = entry.kind == TrashEntry.Kind.VERSION
    if is_version and _version_exists(package, version["version"]):
        raise RestoreRefused(
            f"{package.display_name} {version['version']} was published again after it "
            "was deleted; delete that version first to restore this one"
        )
    if not is_version and version is not None and not _version_exists(package, version["version"]):
        raise RestoreRefused(
            f"version {version['version']} of {entry.display_name} is not there any "
            "more; restore the version first"
        )
    paths = [asset["path"] for asset in snapshot["assets"]]
    taken = Asset.objects.filter(repository=entry.repository, path__in=paths)
    if path := taken.values_list("path", flat=True).first():
        raise RestoreRefused(f"{path} was uploaded again after it was deleted")


def _package(entry: TrashEntry) -> Package | None:
    saved = entry.snapshot["package"]
    if saved is None:
        return None
    fmt = get_format(entry.repository.format)
    package, _ = ensure_package(
        entry.repository, fmt, saved["display_name"], metadata=saved["metadata"]
    )
    return package


def _version(entry: TrashEntry, package: Package) -> Version:
    saved = entry.snapshot["version"]
    if entry.kind == TrashEntry.Kind.FILE:
        return package.versions.get(version=saved["version"])
    version, _ = ensure_version(
        package,
        saved["version"],
        metadata=saved["metadata"],
        yanked=saved["yanked"],
        yanked_reason=saved["yanked_reason"],
        deprecated=saved["deprecated"],
        uploader=_user(saved["uploader"]),
    )
    Version.objects.filter(pk=version.pk).update(
        created=_time(saved["created"]),
        last_downloaded=_time(saved["last_downloaded"]),
        download_count=saved["download_count"],
    )
    return version


def _assets(entry: TrashEntry, package: Package | None, version: Version | None) -> None:
    for saved in entry.snapshot["assets"]:
        fields = {
            "filename": saved["filename"],
            "content_type": saved["content_type"],
            "package": package,
            "version": version,
            "metadata": saved["metadata"],
            "uploader": _user(saved["uploader"]),
        }
        if saved["blob"] is None:  # a proxy's file that was not cached
            asset = Asset.objects.create(repository=entry.repository, path=saved["path"], **fields)
        else:
            blob = Blob.objects.get(pk=saved["blob"])
            try:
                asset = add_asset(entry.repository, saved["path"], blob, **fields).asset
            except QuotaExceeded as exc:
                raise RestoreRefused(str(exc)) from None
        Asset.objects.filter(pk=asset.pk).update(
            created=_time(saved["created"]),
            updated=_time(saved["updated"]),
            last_downloaded=_time(saved["last_downloaded"]),
            download_count=saved["download_count"],
        )
        for sidecar in saved["sidecars"]:
            attach_sidecar(asset, sidecar["role"], Blob.objects.get(pk=sidecar["blob"]))


def _tags(entry: TrashEntry, package: Package, version: Version) -> list[str]:
    """Tags point at the version again unless a later publish took them; returns those."""
    kept_elsewhere = []
    for name in entry.snapshot["tags"]:
        current = Tag.objects.filter(package=package, name=name).select_related("version").first()
        if current is None:
            Tag.objects.create(package=package, name=name, version=version)
        elif current.version.created > entry.trashed:
            kept_elsewhere.append(name)
        else:
            current.version = version
            current.save(update_fields=["version"])
    return kept_elsewhere


def label(entry: TrashEntry) -> str:
    """How people name what the entry holds: "demo 1.2.0", or a file's path."""
    if entry.kind == TrashEntry.Kind.VERSION:
        return f"{entry.display_name} {entry.version}"
    return entry.path


@transaction.atomic
def restore_entry(entry: TrashEntry, *, request=None, actor=None) -> list[str]:
    """Put the entry's version or file back; returns the tags left where a later publish
    put them. Raises RestoreRefused (nothing written) when it cannot."""
    entry = TrashEntry.objects.select_for_update().select_related("repository").get(pk=entry.pk)
    fmt = get_format(entry.repository.format)
    saved = entry.snapshot["package"]
    existing = None
    if saved is not None:
        name = fmt.normalize_name(saved["display_name"])
        existing = Package.objects.filter(repository=entry.repository, name=name).first()
    _check_free(entry, existing)
    package = _package(entry)
    version = _version(entry, package) if entry.snapshot["version"] is not None else None
    _assets(entry, package, version)
    kept_elsewhere = []
    if entry.kind == TrashEntry.Kind.VERSION:
        kept_elsewhere = _tags(entry, package, version)
        pin = entry.snapshot["pin"]
        if pin is not None:
            VersionPin.objects.create(
                version=version, reason=pin["reason"], pinned_by=_user(pin["pinned_by"])
            )
    if package is not None:
        versions_changed(package)
    record(
        request,
        "trash.restore",
        repository=entry.repository,
        target=label(entry),
        actor=actor,
        tags_left_elsewhere=kept_elsewhere,
    )
    entry.delete()
    return kept_elsewhere


@transaction.atomic
def purge_entry(entry: TrashEntry, *, request=None, actor=None) -> None:
    """Gone for good: blob GC may reclaim the bytes once nothing else references them."""
    record(request, "trash.purge", repository=entry.repository, target=label(entry), actor=actor)
    entry.delete()


def purge_expired(now: datetime | None = None) -> int:
    """Entries past their repository's trash days, a batch per transaction."""
    now = now or timezone.now()
    purged = 0
    while True:
        batch = list(
            TrashEntry.objects.filter(purge_after__lte=now).values_list("pk", flat=True)[
                :PURGE_BATCH
            ]
        )
        if not batch:
            return purged
        with transaction.atomic():
            deleted = TrashEntry.objects.filter(pk__in=batch).delete()[1]
            count = deleted.get("repository.TrashEntry", 0)
            record(None, "trash.purge", target=f"{count} entries past their trash days")
        purged += count
