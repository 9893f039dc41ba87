"""What every npm write finishes with: a `latest` tag by semver, and the package summary.

The summary (latest version, description, keywords, maintainers) lives in
Package.metadata so search and listings read one row per package, never its versions.
"""

from repository.formats import Format
from repository.models import Package, Tag, Version
from repository.services.packages import package_changed


def newest_release(fmt: Format, versions: list[Version]) -> Version:
    """What `latest` points at when no tag says: the highest stable version by semver."""
    stable = [v for v in versions if not fmt.is_prerelease(v.version)]
    return max(stable or versions, key=lambda v: fmt.version_key(v.version))


def _latest(package: Package, fmt: Format) -> Tag | None:
    """Packuments always carry `latest`: if none stands, the newest release."""
    tag = Tag.objects.filter(package=package, name="latest").select_related("version").first()
    if tag is not None:
        return tag
    versions = list(package.versions.only("id", "version", "metadata"))
    if not versions:
        return None
    return Tag.objects.create(package=package, name="latest", version=newest_release(fmt, versions))


def _summary(package: Package, fmt: Format) -> dict:
    latest = _latest(package, fmt)
    manifest = latest.version.metadata.get("manifest", {}) if latest else {}
    keywords = manifest.get("keywords")
    return {
        "latest": latest.version.version if latest else None,
        "description": manifest.get("description") or "",
        "keywords": [str(k) for k in keywords] if isinstance(keywords, list) else [],
    }


def summarize(package: Package, fmt: Format) -> None:
    """`latest` (made if missing) and the summary brought in line with the versions and
    tags, the summary saved only if it moved; the caller tells readers the package changed."""
    summary = _summary(package, fmt)
    if any(package.metadata.get(key, ...) != value for key, value in summary.items()):
        package.metadata.update(summary)
        package.save(update_fields=["metadata", "updated"])


def refresh_summary(package: Package, fmt: Format) -> None:
    """Call at the end of an npm write transaction, after versions and tags are final (the
    write's own changes to the package's metadata are saved with it)."""
    package.metadata.update(_summary(package, fmt))
    package.save(update_fields=["metadata", "updated"])
    package_changed(package)


def add_maintainer(package: Package, user) -> None:
    maintainers = package.metadata.setdefault("maintainers", [])
    if user.is_authenticated and all(m.get("name") != user.get_username() for m in maintainers):
        maintainers.append({"name": user.get_username(), "email": user.email})
