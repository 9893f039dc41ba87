"""Packuments as dicts: the full document, the abbreviated one installers ask for, and
single versions. Absolute tarball URLs carry the core's BASE_PLACEHOLDER, filled per request.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from django.db.models.fields.json import KeyTextTransform

from formats.npm.names import tarball_path
from formats.npm.summary import newest_release
from repository.formats import get_format, sort_versions
from repository.models import Package, Repository, Version
from repository.sources import DocumentSpec, PlannedPackage
from repository.urlbase import BASE_PLACEHOLDER

FULL_CONTENT_TYPE = "application/json"
ABBREVIATED_CONTENT_TYPE = "application/vnd.npm.install-v1+json"

# What an installer needs of each version (the registry's "corgi" documents).
ABBREVIATED_FIELDS = (
    "name",
    "version",
    "dist",
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
    "peerDependenciesMeta",
    "bundleDependencies",
    "acceptDependencies",
    "bin",
    "directories",
    "engines",
    "os",
    "cpu",
    "libc",
    "funding",
    "deprecated",
    "hasInstallScript",
    "_hasShrinkwrap",
)
# Copied to the top of the full document from the version `latest` points at.
FROM_LATEST = ("description", "keywords", "license", "homepage", "repository", "bugs", "author")


def npm_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def revision(package: Package) -> str:
    """CouchDB-style `_rev`: changes with every write to the package. Made of what a
    proxy's first answer knows before the row exists (no key), the creation time telling
    a package from an earlier one of the same name."""
    identity = f"{package.repository_id}:{package.name}:{package.created.timestamp():.6f}"
    digest = hashlib.sha256(f"{identity}:{package.generation}".encode()).hexdigest()
    return f"{package.generation}-{digest[:32]}"


def tarball_url(repository: Repository, name: str, version: str) -> str:
    return f"{BASE_PLACEHOLDER}/repository/{repository.name}/{tarball_path(name, version)}"


def _stored_manifest(version: Version) -> dict:
    """The manifest alone where PackageState.load annotated it, else from the metadata."""
    annotated = getattr(version, "manifest_text", None)
    if annotated is not None:
        return orjson.loads(annotated)
    return version.metadata.get("manifest", {})


def served_manifest(repository: Repository, package: Package, version: Version) -> dict:
    """A version's document as clients get it: stored manifest plus URL and deprecation."""
    manifest = dict(_stored_manifest(version))
    manifest["dist"] = {
        **manifest.get("dist", {}),
        "tarball": tarball_url(repository, package.name, version.version),
    }
    if version.deprecated:
        manifest["deprecated"] = version.deprecated
    return manifest


@dataclass
class PackageState:
    """Everything the documents show, read in two queries whatever the version count."""

    repository: Repository
    package: Package
    versions: list[Version]  # semver order, oldest first
    tags: dict[str, str]

    @classmethod
    def load(cls, repository: Repository, package: Package) -> "PackageState":
        # Only each version's manifest: its readme (often the bulk of the metadata) is read
        # for `latest` alone, so a 2,000-version render parses no 2,000 readmes.
        versions = list(
            package.versions.only("id", "package", "version", "deprecated", "created").annotate(
                manifest_text=KeyTextTransform("manifest", "metadata")
            )
        )
        tags = dict(package.tags.values_list("name", "version__version"))
        return cls(repository, package, sort_versions(get_format("npm"), versions), tags)

    @property
    def latest(self) -> Version | None:
        wanted = self.tags.get("latest")
        matching = [v for v in self.versions if v.version == wanted]
        return matching[0] if matching else (self.versions[-1] if self.versions else None)

    def modified(self) -> str:
        return npm_time(self.package.updated)

    def times(self) -> dict[str, str]:
        times = {"created": npm_time(self.package.created), "modified": self.modified()}
        times.update((v.version, npm_time(v.created)) for v in self.versions)
        return times


def full_document(state: PackageState) -> dict[str, Any]:
    package = state.package
    latest = state.latest
    document: dict[str, Any] = {
        "_id": package.name,
        "_rev": revision(package),
        "name": package.name,
        "dist-tags": state.tags,
        "versions": {
            v.version: served_manifest(state.repository, package, v) for v in state.versions
        },
        "time": state.times(),
        "maintainers": package.metadata.get("maintainers", []),
        "readme": "",
    }
    if latest is not None:
        manifest = _stored_manifest(latest)
        document.update((key, manifest[key]) for key in FROM_LATEST if key in manifest)
        document["readme"] = latest.metadata.get("readme", "")
        document["readmeFilename"] = latest.metadata.get("readmeFilename", "")
    return document


def abbreviated_document(state: PackageState) -> dict[str, Any]:
    versions = {}
    for version in state.versions:
        manifest = served_manifest(state.repository, state.package, version)
        versions[version.version] = {
            key: manifest[key] for key in ABBREVIATED_FIELDS if key in manifest
        }
    return {
        "name": state.package.name,
        "modified": state.modified(),
        "dist-tags": state.tags,
        "versions": versions,
        "time": state.times(),
    }


def to_bytes(document: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON; orjson writes a 2,000-version packument 8x faster than json."""
    try:
        return orjson.dumps(document)
    except TypeError:  # an integer beyond 64 bits in someone's manifest
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


# The stored documents of a whole package: key -> content type, in the order they are
# warmed: installers, and npm publish itself, read the abbreviated one first.
DOCUMENTS = {"abbreviated": ABBREVIATED_CONTENT_TYPE, "full": FULL_CONTENT_TYPE}


_BUILDERS = {"full": full_document, "abbreviated": abbreviated_document}


def build(repository: Repository, package: Package, key: str) -> dict[str, Any]:
    """One of DOCUMENTS as data: host-independent, tarball URLs as a placeholder."""
    return _BUILDERS[key](PackageState.load(repository, package))


def build_planned(repository: Repository, planned: PlannedPackage, key: str) -> dict[str, Any]:
    """One of DOCUMENTS of a package a proxy has not stored yet, as its rows will give
    it: `latest` made where the upstream's points at no version served here."""
    fmt = get_format("npm")
    versions = sort_versions(fmt, planned.versions)
    tags = dict(planned.tags)
    if "latest" not in tags and versions:
        tags["latest"] = newest_release(fmt, versions).version
    return _BUILDERS[key](PackageState(repository, planned.package, versions, tags))


def spec(key: str, content_type: str, build_from, from_planned=None) -> DocumentSpec:
    """A packument-like document for the content source: compact JSON, tarball URLs filled
    in per host, chosen by the Accept header."""
    return DocumentSpec(
        key,
        content_type,
        build_from,
        to_bytes,
        absolute_urls=True,
        vary="Accept",
        build_planned=from_planned,
    )


def document(key: str) -> DocumentSpec:
    """One of DOCUMENTS, built from the package's rows, or from a package a proxy has
    not stored yet."""
    return spec(
        key,
        DOCUMENTS[key],
        lambda repository, package: build(repository, package, key),
        lambda repository, planned: build_planned(repository, planned, key),
    )
