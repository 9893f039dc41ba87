"""Reading an npm registry for a proxy repository: its full packument, into the core model.

The full document (not the abbreviated one installers ask for) is fetched, because both
documents Larder serves are built from it: every version's manifest is stored the way a
hosted publish stores it (Version.metadata["manifest"], the readme beside it), publish
times become the versions' times, deprecation becomes the versions' state, and each
version's tarball becomes a file at the path a hosted repository keeps it under, fetched
from the upstream's `dist.tarball` and verified against `dist.integrity` and `dist.shasum`.
"""

import json
import logging
import re
from typing import Any
from urllib.parse import quote, urljoin

from formats.npm.names import name_errors, tarball_filename, tarball_path
from repository.proxy.index import (
    IndexRequest,
    UpstreamFile,
    UpstreamPackage,
    UpstreamReader,
    UpstreamVersion,
    WantedNext,
    upstream_time,
)
from repository.proxy.tee import ExpectedDigest

logger = logging.getLogger("larder.proxy")

ACCEPT = "application/json"
# Kept beside the manifest (readme) or as the version's state (deprecated); the tarball's
# URL is Larder's own, filled in per request.
_APART = ("readme", "readmeFilename", "deprecated")
_SHASUM = re.compile(r"^[0-9a-fA-F]{40}$")
# Version specs that name no registry package: git, URLs, local paths, workspaces, and
# GitHub's `user/repo` shorthand.
_NOT_REGISTRY = re.compile(
    r"^(git|https?:|file:|link:|workspace:|github:|gitlab:|bitbucket:|gist:|/|[^@/][^:]*/)"
)


def packument_path(name: str) -> str:
    """`@scope/name` as `@scope%2Fname`, the form every registry answers."""
    return quote(name, safe="@")


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _digests(dist: dict[str, Any]) -> tuple[ExpectedDigest, ...]:
    """Every hash `dist` publishes that Larder can check, one per algorithm."""
    found: dict[str, ExpectedDigest] = {}
    integrity = dist.get("integrity")
    for part in integrity.split() if isinstance(integrity, str) else ():
        try:
            digest = ExpectedDigest.from_integrity(part)
        except ValueError:
            continue  # an algorithm Larder does not check; the others still apply
        found.setdefault(digest.algorithm, digest)
    shasum = dist.get("shasum")
    if isinstance(shasum, str) and _SHASUM.match(shasum):
        found.setdefault("sha1", ExpectedDigest("sha1", shasum.lower()))
    return tuple(found.values())


def _manifest(entry: dict[str, Any]) -> dict[str, Any]:
    manifest = {key: value for key, value in entry.items() if key not in _APART}
    manifest["dist"] = {k: v for k, v in _object(entry.get("dist")).items() if k != "tarball"}
    return manifest


def _version(
    name: str, version: str, entry: dict[str, Any], document: dict[str, Any], url: str
) -> UpstreamVersion:
    dist = _object(entry.get("dist"))
    created = upstream_time(_object(document.get("time")).get(version))
    path = tarball_path(name, version)
    tarball = dist.get("tarball")
    readme = entry.get("readme")
    if not isinstance(readme, str) and _object(document.get("dist-tags")).get("latest") == version:
        readme = document.get("readme")  # registries keep only latest's, at the top
    deprecated = entry.get("deprecated")
    return UpstreamVersion(
        version=version,
        created=created,
        deprecated=deprecated if isinstance(deprecated, str) else "",
        metadata={
            "manifest": _manifest(entry),
            "readme": readme if isinstance(readme, str) else "",
            "readmeFilename": str(entry.get("readmeFilename") or ""),
        },
        files=(
            UpstreamFile(
                path=path,
                filename=tarball_filename(name, version),
                url=tarball if isinstance(tarball, str) else urljoin(url, path),
                digests=_digests(dist),
                created=created,
            ),
        ),
    )


def _registry_name(name: object, spec: object) -> str | None:
    """The registry package a dependency entry names (an `npm:` alias's target), or None
    for one that names none (git, URL, path, workspace) or no valid name."""
    if not isinstance(name, str) or not isinstance(spec, str):
        return None
    if spec.startswith("npm:"):
        target = spec.removeprefix("npm:")
        at = target.rfind("@")
        name = target[:at] if at > 0 else target
    elif _NOT_REGISTRY.match(spec):
        return None
    return name if not name_errors(name) else None


def _usable(version: object) -> bool:
    """Whether a version key can name a tarball path here."""
    return isinstance(version, str) and bool(version) and "/" not in version


class NpmUpstream(UpstreamReader):
    # A proxied packument shows each tarball's integrity and shasum as the upstream did.
    shown_file_facts: frozenset[str] = frozenset()

    def index_request(self, name: str) -> IndexRequest:
        return IndexRequest(path=packument_path(name), accept=ACCEPT)

    def parse(self, name: str, body: bytes, content_type: str, url: str) -> UpstreamPackage:
        try:
            document = json.loads(body)
        except ValueError as exc:
            raise ValueError(f"not a packument ({exc.__class__.__name__})") from None
        if not isinstance(document, dict) or not isinstance(document.get("versions", {}), dict):
            raise ValueError("not a packument (no versions object)")
        versions = []
        for version, entry in document.get("versions", {}).items():
            if not _usable(version) or not isinstance(entry, dict):
                logger.info("%s: skipped upstream version %r", name, version)
                continue
            versions.append(_version(name, version, entry, document, url))
        tags = _object(document.get("dist-tags"))
        maintainers = document.get("maintainers")
        return UpstreamPackage(
            name=name,
            display_name=name,
            versions=tuple(versions),
            tags={tag: version for tag, version in tags.items() if isinstance(version, str)},
            metadata={"maintainers": maintainers if isinstance(maintainers, list) else []},
        )

    def wanted_next(self, found: UpstreamPackage) -> WantedNext:
        """The registry packages `latest` depends on, and its tarball unless it is built
        for some platforms only: an install that resolves `latest` asks for them next.
        Optional dependencies are left out: they are mostly one build per platform, of
        which a client installs one."""
        latest = next((v for v in found.versions if v.version == found.tags.get("latest")), None)
        if latest is None:
            return WantedNext()
        manifest = latest.metadata["manifest"]
        names = {
            real
            for name, spec in _object(manifest.get("dependencies")).items()
            if (real := _registry_name(name, spec)) is not None
        }
        universal = not manifest.get("os") and not manifest.get("cpu")
        paths = tuple(file.path for file in latest.files) if universal else ()
        return WantedNext(tuple(sorted(names)), paths)

    def package_of(self, path: str) -> str | None:
        """`<name>/-/<file>.tgz` belongs to `<name>`'s packument."""
        name, separator, filename = path.rpartition("/-/")
        return name if separator and filename.endswith(".tgz") else None
