"""The version manifest we store and serve, built from the tarball's own package.json.

Client-supplied registry fields (`_id`, `_resolved`, `dist`, `deprecated`...) are dropped:
the registry computes them (hashes from the stored blob, counts from the archive).
"""

import base64
from typing import Any

import semver

from formats.npm.tarball import TarballFacts
from repository.models import Blob

# Not part of a version document: the README lives at the packument's top level, and
# deprecation is registry state, set by `npm deprecate`.
_DROPPED_KEYS = {"readme", "readmeFilename", "dist", "deprecated", "hasInstallScript"}
_INSTALL_SCRIPTS = ("preinstall", "install", "postinstall")


def parse_version(version: object) -> str | None:
    """The version as npm's `semver.clean` gives it (no build metadata), or None if invalid."""
    if not isinstance(version, str):
        return None
    try:
        parsed = semver.Version.parse(version.strip().lstrip("=v"))
    except ValueError:
        return None
    return str(parsed.replace(build=None))


def integrity(blob: Blob) -> str:
    """Subresource Integrity string npm verifies downloads with."""
    return "sha512-" + base64.b64encode(bytes.fromhex(blob.sha512)).decode()


def has_install_script(manifest: dict[str, Any], facts: TarballFacts) -> bool:
    """npm runs install scripts, or `node-gyp rebuild` when a binding.gyp ships without one."""
    scripts = manifest.get("scripts")
    scripts = scripts if isinstance(scripts, dict) else {}
    if any(scripts.get(name) for name in _INSTALL_SCRIPTS):
        return True
    implicit_gyp = manifest.get("gypfile") is not False and facts.has_binding_gyp
    return implicit_gyp and not scripts.get("preinstall")


def version_manifest(
    facts: TarballFacts, blob: Blob, name: str, version: str, publisher=None
) -> dict[str, Any]:
    manifest = {
        key: value
        for key, value in facts.manifest.items()
        if not key.startswith("_") and key not in _DROPPED_KEYS
    }
    manifest.update(name=name, version=version, _id=f"{name}@{version}")
    manifest["dist"] = {
        "shasum": blob.sha1,
        "integrity": integrity(blob),
        "fileCount": facts.file_count,
        "unpackedSize": facts.unpacked_size,
    }
    manifest["_hasShrinkwrap"] = facts.has_shrinkwrap
    if has_install_script(manifest, facts):
        manifest["hasInstallScript"] = True
    if publisher is not None and publisher.is_authenticated:
        manifest["_npmUser"] = {"name": publisher.get_username(), "email": publisher.email}
    return manifest
