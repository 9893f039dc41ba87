"""The package page's extras for generic builds: the newest version's files, ready to fetch."""

import shlex

from django.http import HttpRequest

from formats.generic.links import native_url
from repository.formats import Format
from repository.models import Package


def _newest(fmt: Format, package: Package):
    """The newest version not yanked (else the newest), in the format's natural order."""
    versions = list(package.versions.all())
    pool = [version for version in versions if not version.yanked] or versions
    return max(pool, key=lambda version: fmt.version_key(version.version), default=None)


def _file(request: HttpRequest, asset, private: bool) -> dict:
    url = native_url(request, asset.repository, asset.path)
    name = shlex.quote(asset.filename)
    auth = '-u "__token__:$LARDER_TOKEN" ' if private else ""
    return {
        "name": asset.filename,
        "path": asset.path,
        "url": url,
        "size": asset.blob.size,
        "sha256": asset.blob.sha256,
        "sha1": asset.blob.sha1,
        "md5": asset.blob.md5,
        "curl": f"curl -fL {auth}-o {name} {shlex.quote(url)}",
        "check": f"echo {shlex.quote(asset.blob.sha256 + '  ' + asset.filename)} | sha256sum -c -",
    }


def package_files(request: HttpRequest, fmt: Format, package: Package) -> dict:
    """{"latest": Version | None, "files": [...], "private": bool} for generic/package_usage.

    Each file carries its digests and shell-quoted curl and sha256sum lines to copy.
    """
    latest = _newest(fmt, package)
    private = not package.repository.anonymous_read
    assets = (
        []
        if latest is None
        else latest.assets.select_related("blob", "repository").order_by("path")
    )
    return {
        "latest": latest,
        "private": private,
        "files": [_file(request, asset, private) for asset in assets],
    }
