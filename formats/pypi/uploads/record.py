"""The last step: record the release in one transaction (package, version, files, audit)."""

from dataclasses import dataclass

from django.db import transaction

from formats.pypi.metadata import WHEEL, CoreMetadata, DistFilename
from formats.pypi.paths import CORE_METADATA, file_path
from repository.audit import record
from repository.formats import Format
from repository.models import Blob, Repository
from repository.refusals import Refusal
from repository.services.blobs import store_bytes
from repository.services.packages import (
    AssetConflict,
    AssetResult,
    QuotaExceeded,
    add_asset,
    attach_sidecar,
    ensure_package,
    ensure_version,
    set_version_metadata,
)

CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class Release:
    """Everything the earlier steps established about one uploaded file."""

    repository: Repository
    fmt: Format
    dist: DistFilename
    metadata: CoreMetadata
    blob: Blob


def _asset_metadata(release: Release, core_metadata: Blob | None) -> dict:
    facts = {
        "filetype": release.dist.filetype,
        "python_version": release.dist.python_version,
        "requires_python": release.metadata.requires_python,
        "metadata_version": release.metadata.fields.get("metadata_version", ""),
    }
    if core_metadata is not None:
        facts["core_metadata_sha256"] = core_metadata.sha256
    return facts


def _record_files(release: Release, package, version, user) -> AssetResult:
    path = file_path(package.name, version.version, release.dist.filename)
    core_metadata = None
    if release.dist.filetype == WHEEL:
        core_metadata = store_bytes(release.metadata.raw)
    result = add_asset(
        release.repository,
        path,
        release.blob,
        filename=release.dist.filename,
        content_type=CONTENT_TYPE,
        package=package,
        version=version,
        metadata=_asset_metadata(release, core_metadata),
        uploader=user,
    )
    if core_metadata is not None:
        attach_sidecar(result.asset, CORE_METADATA, core_metadata)
    return result


@transaction.atomic
def record_release(request, release: Release) -> AssetResult:
    """Store the release's rows; a conflict or quota refusal rolls all of them back."""
    user = request.user if request.user.is_authenticated else None
    package, _ = ensure_package(release.repository, release.fmt, release.metadata.name)
    version, created = ensure_version(
        package, str(release.metadata.version), metadata=release.metadata.fields, uploader=user
    )
    if not created and not version.metadata:
        set_version_metadata(version, release.metadata.fields)
    try:
        result = _record_files(release, package, version, user)
    except AssetConflict as exc:
        raise Refusal(
            400,
            f"File already exists: {release.dist.filename} has different content",
            label="conflict",
        ) from exc
    except QuotaExceeded as exc:
        raise Refusal(400, str(exc), label="quota") from exc
    record(
        request,
        "pypi.upload",
        repository=release.repository,
        target=result.asset.path,
        project=package.name,
        version=version.version,
        filename=release.dist.filename,
        sha256=release.blob.sha256,
        outcome="replaced" if result.replaced else "created" if result.created else "unchanged",
    )
    return result
