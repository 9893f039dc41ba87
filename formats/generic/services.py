"""Recording and removing generic files, each in one transaction with its audit event.

The core decides what an upload means (new, identical again, conflicting, replacing) and
keeps packages and versions consistent; these functions add the generic layout on top.
"""

import mimetypes

from django.db import transaction

from formats.generic.layout import coordinates
from formats.generic.paths import RepoPath
from repository.audit import record
from repository.formats import Format
from repository.models import Asset, Blob, Repository
from repository.retention.trash import trash_file
from repository.services.packages import AssetResult, add_asset, ensure_package, ensure_version

# What a compressed file is, rather than what is inside it: never a Content-Encoding.
_COMPRESSED_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "br": "application/x-brotli",
    "compress": "application/x-compress",
}


def content_type_for(filename: str) -> str:
    """A Content-Type guessed from the name (`.tar.gz` is application/gzip)."""
    guessed, encoding = mimetypes.guess_type(filename, strict=False)
    if encoding:
        return _COMPRESSED_TYPES.get(encoding, "application/octet-stream")
    return guessed or "application/octet-stream"


def _outcome(result: AssetResult) -> str:
    if result.created:
        return "created"
    return "replaced" if result.replaced else "unchanged"


@transaction.atomic
def publish(request, repository: Repository, fmt: Format, path: RepoPath, blob: Blob):
    """Record the blob at `path` (and its package and version, with a layout).

    Raises the core's AssetConflict or QuotaExceeded; the transaction then leaves nothing.
    """
    package = version = None
    found = coordinates(repository.settings, path)
    if found is not None:
        package, _ = ensure_package(repository, fmt, found.name)
        version, _ = ensure_version(package, found.version, uploader=_user(request))
    result = add_asset(
        repository,
        path.text,
        blob,
        filename=path.name,
        content_type=content_type_for(path.name),
        package=package,
        version=version,
        uploader=request.user,
    )
    record(
        request,
        "asset.upload",
        repository=repository,
        target=path.text,
        outcome=_outcome(result),
        sha256=blob.sha256,
        size=blob.size,
    )
    return result


@transaction.atomic
def remove(request, repository: Repository, asset: Asset) -> None:
    """Delete the file (into the trash, where the repository keeps one); a version left
    without files goes too, and a package without versions."""
    trash_file(asset, reason="DELETE", actor=request.user)
    record(
        request,
        "asset.delete",
        repository=repository,
        target=asset.path,
        sha256=asset.blob_id,
    )


def _user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
