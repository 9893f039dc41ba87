"""PyPI's JSON API (`pypi/<project>/json`, `pypi/<project>/<version>/json`) as a dict.

Tools like pip-audit, Renovate and Dependabot read it. File URLs are absolute, written with
the core's base-URL placeholder so each client sees the host it used.
"""

from collections import defaultdict

from formats.pypi.paths import url_path
from formats.pypi.simple.pages import distributions, upload_time
from repository.formats import Format
from repository.models import Asset, Package, Version
from repository.urlbase import BASE_PLACEHOLDER

_LIST_FIELDS = ("classifiers", "license_files", "provides_extra", "dynamic")


def choose_latest(fmt: Format, versions: list[Version]) -> Version | None:
    """What PyPI shows first: the newest final release not yanked, else the newest one."""
    for eligible in (
        lambda v: not v.yanked and not fmt.is_prerelease(v.version),
        lambda v: not v.yanked,
        lambda v: True,
    ):
        candidates = [v for v in versions if eligible(v)]
        if candidates:
            return max(candidates, key=lambda v: fmt.version_key(v.version))
    return None


def _digests(asset: Asset) -> dict:
    """The stored file's digests, or those the upstream published for a proxied one."""
    if asset.cached:
        blob = asset.blob
        return {"blake2b_256": blob.blake2b_256, "md5": blob.md5, "sha256": blob.sha256}
    published = asset.upstream
    return {name: published.get(name) for name in ("blake2b_256", "md5", "sha256")}


def _file(asset: Asset, repository_root: str) -> dict:
    digests, version = _digests(asset), asset.version
    return {
        "comment_text": "",
        "digests": digests,
        "downloads": -1,
        "filename": asset.filename,
        "has_sig": False,
        "md5_digest": digests["md5"],
        "packagetype": asset.metadata.get("filetype", ""),
        "python_version": asset.metadata.get("python_version", ""),
        "requires_python": asset.metadata.get("requires_python") or None,
        "size": asset.size,
        "upload_time": asset.created.strftime("%Y-%m-%dT%H:%M:%S"),
        "upload_time_iso_8601": upload_time(asset),
        "url": repository_root + url_path(asset.path),
        "yanked": version.yanked,
        "yanked_reason": version.yanked_reason or None,
    }


def _info(package: Package, version: Version, repository_root: str) -> dict:
    meta = version.metadata
    project_url = f"{repository_root}simple/{package.name}/"
    info = {
        "author": meta.get("author"),
        "author_email": meta.get("author_email"),
        "bugtrack_url": None,
        "description": meta.get("description", ""),
        "description_content_type": meta.get("description_content_type"),
        "docs_url": None,
        "download_url": meta.get("download_url"),
        "downloads": {"last_day": -1, "last_month": -1, "last_week": -1},
        "home_page": meta.get("home_page"),
        "keywords": ",".join(meta.get("keywords", [])) or None,
        "license": meta.get("license"),
        "license_expression": meta.get("license_expression"),
        "maintainer": meta.get("maintainer"),
        "maintainer_email": meta.get("maintainer_email"),
        "name": package.display_name,
        "package_url": project_url,
        "platform": ",".join(meta.get("platforms", [])) or None,
        "project_url": project_url,
        "project_urls": meta.get("project_urls") or None,
        "release_url": f"{repository_root}pypi/{package.name}/{version.version}/json",
        "requires_dist": meta.get("requires_dist") or None,
        "requires_python": meta.get("requires_python") or "",
        "summary": meta.get("summary", ""),
        "version": version.version,
        "yanked": version.yanked,
        "yanked_reason": version.yanked_reason or None,
    }
    info.update({field: meta.get(field, []) for field in _LIST_FIELDS})
    return info


def project_json(
    fmt: Format, package: Package, repository_name: str, version: str | None = None
) -> dict | None:
    """The project document (`version` None) or one release's; None if the version is unknown."""
    repository_root = f"{BASE_PLACEHOLDER}/repository/{repository_name}/"
    versions = list(Version.objects.filter(package=package).defer("metadata"))
    shown = (
        next((v for v in versions if v.version == version), None)
        if version is not None
        else choose_latest(fmt, versions)
    )
    if shown is None:
        return None
    shown = Version.objects.get(pk=shown.pk)  # only this one's metadata (descriptions are big)
    files = defaultdict(list)
    for asset in sorted(distributions(package), key=lambda a: a.filename):
        files[asset.version.version].append(_file(asset, repository_root))
    document = {
        "info": _info(package, shown, repository_root),
        "last_serial": package.generation,
        "urls": files[shown.version],
        "vulnerabilities": [],
    }
    if version is None:
        ordered = sorted(versions, key=lambda v: fmt.version_key(v.version))
        document["releases"] = {v.version: files[v.version] for v in ordered}
    return document
