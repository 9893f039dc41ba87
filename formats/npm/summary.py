"""What every npm write finishes with: a `latest` tag by semver, and the package summary.

The summary (latest version, description, keywords, maintainers) lives in
Package.metadata so search and listings read one row per package, never its versions.
"""

from repository.formats import Format
from repository.models import Package, Tag
from repository.services.packages import package_changed


def ensure_latest(package: Package, fmt: Format) -> None:
    """Packuments always carry `latest`: if none stands, the highest stable version by semver."""
    if Tag.objects.filter(package=package, name="latest").exists():
        return
    versions = list(package.versions.only("id", "version"))
    if not versions:
        return
    stable = [v for v in versions if not fmt.is_prerelease(v.version)]
    best = max(stable or versions, key=lambda v: fmt.version_key(v.version))
    Tag.objects.create(package=package, name="latest", version=best)


def refresh_summary(package: Package, fmt: Format) -> None:
    """Call at the end of a write transaction, after versions and tags are final."""
    ensure_latest(package, fmt)
    latest = Tag.objects.filter(package=package, name="latest").select_related("version").first()
    manifest = latest.version.metadata.get("manifest", {}) if latest else {}
    keywords = manifest.get("keywords")
    package.metadata.update(
        latest=latest.version.version if latest else None,
        description=manifest.get("description") or "",
        keywords=[str(k) for k in keywords] if isinstance(keywords, list) else [],
    )
    package.save(update_fields=["metadata", "updated"])
    package_changed(package)


def add_maintainer(package: Package, user) -> None:
    maintainers = package.metadata.setdefault("maintainers", [])
    if user.is_authenticated and all(m.get("name") != user.get_username() for m in maintainers):
        maintainers.append({"name": user.get_username(), "email": user.email})
