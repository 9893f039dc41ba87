"""Recording packages, versions and assets; unique constraints, not look-ups, decide races."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from repository.audit import record
from repository.cache.invalidation import package_changed, repository_changed
from repository.cache.stamps import repository_content_changed
from repository.counters import count_download
from repository.formats import Format, get_format
from repository.models import Asset, Blob, Package, Repository, Sidecar, Version


class AssetConflict(Exception):
    """A different file already stands at this path and the repository forbids redeploys."""

    def __init__(self, asset: Asset) -> None:
        super().__init__(f"{asset.path} already exists with different content")
        self.asset = asset


class QuotaExceeded(Exception):
    def __init__(self, repository: Repository) -> None:
        super().__init__(
            f"repository {repository.name} would exceed its quota of {repository.quota_bytes} bytes"
        )


@dataclass
class AssetResult:
    asset: Asset
    created: bool  # False: identical bytes were already there (an idempotent re-upload)
    replaced: bool = False


def ensure_package(
    repository: Repository, fmt: Format, name: str, metadata: dict | None = None
) -> tuple[Package, bool]:
    normalized = fmt.normalize_name(name)
    try:
        with transaction.atomic():
            package = Package.objects.create(
                repository=repository, name=normalized, display_name=name, metadata=metadata or {}
            )
    except IntegrityError:
        return Package.objects.get(repository=repository, name=normalized), False
    repository_changed(repository)
    return package, True


def ensure_version(package: Package, version: str, **fields) -> tuple[Version, bool]:
    try:
        with transaction.atomic():
            created = Version.objects.create(package=package, version=version, **fields)
    except IntegrityError:
        return Version.objects.get(package=package, version=version), False
    package_changed(package)
    return created, True


def check_quota(repository: Repository, extra_bytes: int) -> None:
    if repository.quota_bytes is None:
        return
    used = (
        Asset.objects.filter(repository=repository).aggregate(total=Sum("blob__size"))["total"] or 0
    )
    if used + extra_bytes > repository.quota_bytes:
        raise QuotaExceeded(repository)


def add_asset(
    repository: Repository,
    path: str,
    blob: Blob,
    *,
    filename: str,
    content_type: str = "application/octet-stream",
    package: Package | None = None,
    version: Version | None = None,
    metadata: dict | None = None,
    uploader=None,
) -> AssetResult:
    """Record a file at `path`: new (201), identical again (no-op), or conflicting.

    A conflict raises AssetConflict unless the repository allows redeploys, in which case
    the path is pointed at the new blob.
    """
    uploader = uploader if uploader is not None and uploader.is_authenticated else None
    fields = {
        "blob": blob,
        "filename": filename,
        "content_type": content_type,
        "package": package,
        "version": version,
        "metadata": metadata or {},
        "uploader": uploader,
    }
    try:
        with transaction.atomic():
            check_quota(repository, blob.size)
            asset = Asset.objects.create(repository=repository, path=path, **fields)
    except IntegrityError:
        existing = Asset.objects.select_for_update().get(repository=repository, path=path)
        if existing.blob_id == blob.sha256:
            return AssetResult(existing, created=False)
        if not repository.allows_redeploy:
            raise AssetConflict(existing) from None
        check_quota(repository, blob.size - existing.blob.size)
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        _changed(existing)
        return AssetResult(existing, created=False, replaced=True)
    _changed(asset)
    return AssetResult(asset, created=True)


def _changed(asset: Asset) -> None:
    """Readers must see the asset's change; package_changed tells them for packaged ones."""
    if asset.package_id is not None:
        package_changed(asset.package)
    else:
        repository_content_changed(asset.repository_id)


def attach_sidecar(asset: Asset, role: str, blob: Blob) -> None:
    """Keep a derived file (e.g. PEP 658 metadata) alive and findable with its asset (one
    upsert: the asset's sidecar of that role, new or replaced)."""
    Sidecar.objects.bulk_create(
        [Sidecar(asset=asset, role=role, blob=blob)],
        update_conflicts=True,
        unique_fields=["asset", "role"],
        update_fields=["blob"],
    )


def sidecar_blob(asset: Asset, role: str) -> Blob | None:
    sidecar = Sidecar.objects.select_related("blob").filter(asset=asset, role=role).first()
    return sidecar.blob if sidecar else None


def versions_changed(package: Package) -> None:
    """The core changed the package's versions or files: its format brings what it derives
    along (npm's `latest`), and readers see all of it."""
    get_format(package.repository.format).refresh_derived_state(package)
    package_changed(package)


def delete_asset(asset: Asset) -> None:
    asset.delete()
    if asset.package_id is not None:
        versions_changed(asset.package)
    else:
        repository_content_changed(asset.repository_id)


def delete_version(version: Version) -> None:
    """Delete a version and its files; the format's derived state (npm's `latest`) follows."""
    delete_versions(version.package, [version.pk])


def delete_versions(package: Package, version_ids: list[int]) -> None:
    """Several versions of one package, their files and tags, in one statement per table."""
    Version.objects.filter(package=package, pk__in=version_ids).delete()
    versions_changed(package)


def delete_package(package: Package) -> None:
    repository = package.repository
    package.delete()
    repository_changed(repository)


def evict_files(package: Package, asset_ids: list[int]) -> int:
    """Drop a proxy's cached bytes of these files; the rows stay, so the versions stay
    listed and the upstream's copy is fetched again on the next download."""
    evicted = Asset.objects.filter(
        package=package, pk__in=asset_ids, repository__kind=Repository.Kind.PROXY
    ).update(blob=None, updated=timezone.now())
    package_changed(package)
    return evicted


def set_version_metadata(version: Version, metadata: dict) -> None:
    """Replace a version's metadata; the documents that show it are rendered anew."""
    version.metadata = metadata
    version.save(update_fields=["metadata"])
    package_changed(version.package)


def set_yanked(version: Version, yanked: bool, reason: str = "") -> None:
    """PEP 592 yank (or un-yank): installs skip it unless pinned; files stay downloadable."""
    version.yanked = yanked
    version.yanked_reason = reason if yanked else ""
    version.save(update_fields=["yanked", "yanked_reason"])
    package_changed(version.package)


@transaction.atomic
def yank_version(version: Version, yanked: bool, reason: str = "", *, request=None) -> None:
    """Yank or un-yank a version on a caller's behalf (the API), audited."""
    set_yanked(version, yanked, reason)
    record(
        request,
        "version.yank" if yanked else "version.unyank",
        repository=version.package.repository,
        target=f"{version.package.name} {version.version}",
        reason=reason,
    )


def note_download(asset: Asset) -> None:
    """Count a download for retention ("not downloaded for N days") and the UI."""
    count_download(asset)
