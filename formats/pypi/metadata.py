"""Core metadata (METADATA / PKG-INFO) and distribution filenames, parsed with `packaging`.

The uploaded file is the truth about a release: its metadata decides the project name,
version and requires-python, and the filename must agree with it.
"""

from dataclasses import dataclass

from packaging import metadata as core_metadata_spec
from packaging.metadata import InvalidMetadata, Metadata, RawMetadata, parse_email
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from repository.refusals import Refusal

# Oldest first. packaging keeps the list private; a test pins the behaviour relying on it.
_KNOWN_METADATA_VERSIONS: list[str] = core_metadata_spec._VALID_METADATA_VERSIONS

WHEEL = "bdist_wheel"
SDIST = "sdist"


@dataclass(frozen=True)
class CoreMetadata:
    raw: bytes  # the exact bytes, served as the PEP 658 `.metadata` file
    name: str
    version: Version
    requires_python: str
    fields: dict  # every parsed field, JSON-safe, for Version.metadata and the JSON API


@dataclass(frozen=True)
class DistFilename:
    filename: str
    filetype: str
    project: str  # normalized
    version: Version
    python_version: str  # the wheel's python tag(s), "source" for an sdist


def filetype_of(filename: str) -> str | None:
    if filename.endswith(".whl"):
        return WHEEL
    if filename.endswith((".tar.gz", ".zip")):
        return SDIST
    return None


def parse_filename(filename: str) -> DistFilename:
    filetype = filetype_of(filename)
    try:
        if filetype == WHEEL:
            name, version, _build, tags = parse_wheel_filename(filename)
            pythons = sorted({tag.interpreter for tag in tags})
            return DistFilename(filename, WHEEL, name, version, ".".join(pythons))
        if filetype == SDIST:
            name, version = parse_sdist_filename(filename)
            return DistFilename(filename, SDIST, name, version, "source")
    except (InvalidWheelFilename, InvalidSdistFilename) as exc:
        raise Refusal(
            400, f"Invalid distribution filename: {exc}", label="invalid-filename"
        ) from exc
    raise Refusal(
        400,
        f"Unsupported file type: {filename} (upload a wheel, .tar.gz or .zip sdist)",
        label="invalid-filetype",
    )


def _first_error(group: ExceptionGroup) -> str:
    for exc in group.exceptions:
        if isinstance(exc, ExceptionGroup):
            return _first_error(exc)
        return str(exc)
    return "invalid metadata"


def _without_version_gates(raw: RawMetadata) -> RawMetadata:
    """The fields, declared at the newest metadata version, for validating their values only.

    Many wheels on PyPI (setuptools before 77, for one) declare License-File or
    License-Expression under Metadata-Version 2.1; installers accept them, and so do we.
    The declared version itself must still be one we know (or 2.0, which `wheel` before 0.31
    wrote though no spec defines it).
    """
    if raw.get("metadata_version") not in [*_KNOWN_METADATA_VERSIONS, "2.0"]:
        return raw  # validation reports the unknown version
    return {**raw, "metadata_version": _KNOWN_METADATA_VERSIONS[-1]}


def parse_core_metadata(data: bytes) -> CoreMetadata:
    raw, unparsed = parse_email(data)
    if unparsed:
        fields = ", ".join(sorted(unparsed))
        raise Refusal(
            400,
            f"Invalid metadata: unrecognized or malformed field(s): {fields}",
            label="invalid-metadata",
        )
    try:
        metadata = Metadata.from_raw(_without_version_gates(raw), validate=True)
    except ExceptionGroup as group:
        raise Refusal(
            400, f"Invalid metadata: {_first_error(group)}", label="invalid-metadata"
        ) from group
    except InvalidMetadata as exc:
        raise Refusal(400, f"Invalid metadata: {exc}", label="invalid-metadata") from exc
    return CoreMetadata(
        raw=data,
        name=metadata.name,
        version=metadata.version,
        requires_python=str(metadata.requires_python or ""),
        fields=dict(raw),
    )


def check_agreement(
    metadata: CoreMetadata, dist: DistFilename, form_name: str, form_version: str
) -> None:
    """The form, the filename and the file's metadata must name the same release."""
    project = canonicalize_name(metadata.name)
    if canonicalize_name(form_name) != project:
        raise Refusal(
            400,
            f"The name {form_name!r} does not match the file's metadata name {metadata.name!r}",
            label="name-mismatch",
        )
    if _version_or_none(form_version) != metadata.version:
        raise Refusal(
            400,
            f"The version {form_version!r} does not match the file's metadata version "
            f"{metadata.version}",
            label="version-mismatch",
        )
    if dist.project != project or dist.version != metadata.version:
        raise Refusal(
            400,
            f"The filename {dist.filename!r} does not match the file's metadata "
            f"({metadata.name} {metadata.version})",
            label="filename-mismatch",
        )


def _version_or_none(value: str) -> Version | None:
    try:
        return Version(value)
    except ValueError:
        return None
