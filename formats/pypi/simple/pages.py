"""The two simple-API pages as dicts, in PEP 691's JSON shape; HTML is rendered from them.

Each builder runs a fixed number of queries however many files a project has. URLs are
relative to the page, so they stay on whichever host the client used.
"""

from formats.pypi.paths import url_path
from repository.formats import Format
from repository.models import Asset, Package, Repository, Version

API_VERSION = "1.1"
# From `simple/<project>/` back up to the repository root.
_TO_ROOT = "../../"


def project_list(repository: Repository) -> dict:
    names = Package.objects.filter(repository=repository).order_by("name")
    return {
        "meta": {"api-version": API_VERSION},
        "projects": [{"name": name} for name in names.values_list("display_name", flat=True)],
    }


def upload_time(asset: Asset) -> str:
    return asset.created.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def yanked_value(version: Version) -> bool | str:
    """PEP 592/691: False, or the reason (True when there is none)."""
    if not version.yanked:
        return False
    return version.yanked_reason or True


def core_metadata(asset: Asset) -> dict | bool:
    """PEP 658/714: the METADATA file's hash when known; `true` for a proxied wheel whose
    metadata Larder serves once asked (from the upstream, or read out of the wheel)."""
    known = asset.metadata.get("core_metadata_sha256")
    if known:
        return {"sha256": known}
    return bool(asset.upstream) and asset.filename.endswith(".whl")


def known_hashes(asset: Asset) -> dict[str, str]:
    """sha256 where known; else what the upstream published for a file not cached yet."""
    if asset.sha256:
        return {"sha256": asset.sha256}
    published = asset.upstream.get("digests", {})
    return {name: value for name, value in published.items() if value}


def file_entry(asset: Asset, url_prefix: str) -> dict:
    """A file as PEP 691/700 show it; `size` left out only while unknown (a proxied file
    whose upstream published none and whose bytes are not cached yet)."""
    facts = asset.metadata
    core = core_metadata(asset)
    entry = {
        "filename": asset.filename,
        "url": url_prefix + url_path(asset.path),
        "hashes": known_hashes(asset),
        "requires-python": facts.get("requires_python") or None,
        "size": asset.size,
        "upload-time": upload_time(asset),
        "yanked": yanked_value(asset.version),
        "core-metadata": core,
        "dist-info-metadata": core,
    }
    if entry["size"] is None:
        del entry["size"]
    return entry


def distributions(package: Package):
    """The package's wheels and sdists, with their version and blob."""
    return Asset.objects.filter(package=package).select_related("version", "blob")


def project_detail(fmt: Format, package: Package) -> dict:
    assets = sorted(
        distributions(package),
        key=lambda asset: (fmt.version_key(asset.version.version), asset.filename),
    )
    versions = Version.objects.filter(package=package).order_by().values_list("version", flat=True)
    return {
        "meta": {"api-version": API_VERSION},
        "name": package.name,
        "files": [file_entry(asset, _TO_ROOT) for asset in assets],
        "versions": sorted(versions, key=fmt.version_key),
    }
