"""Version order for the UI: always the format's version_key, never string order."""

from django.db.models import Prefetch

from repository.formats import Format
from repository.models import Asset, Package, Version
from repository.ui.links import attach_download_urls


def pick_latest(fmt: Format, versions: list[tuple[str, bool]]) -> str | None:
    """The version to headline from (version, yanked) pairs: the newest stable one not
    yanked, else the newest not yanked, else the newest."""
    if not versions:
        return None
    live = [version for version, yanked in versions if not yanked]
    stable = [version for version in live if not fmt.is_prerelease(version)]
    pool = stable or live or [version for version, _ in versions]
    return max(pool, key=fmt.version_key)


def package_versions(fmt: Format, package: Package) -> list[Version]:
    """All versions, newest first by the format's order, with files and blobs prefetched.

    Two queries whatever the number of versions: versions (with pins), then their assets
    joined to blobs.
    """
    assets = Asset.objects.select_related("blob").order_by("filename")
    versions = list(
        package.versions.select_related("uploader", "pin").prefetch_related(
            Prefetch("assets", assets)
        )
    )
    versions.sort(key=lambda version: fmt.version_key(version.version), reverse=True)
    for version in versions:
        version.is_prerelease = fmt.is_prerelease(version.version)
        version.pinned = hasattr(version, "pin")
        attach_download_urls(package.repository, version.assets.all())
    return versions
