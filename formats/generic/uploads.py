"""The upload pipeline shared by PUT and form POST: check, stream and hash, verify, record.

Everything that can be checked before the body is read (the path, the layout, the
declared checksums' syntax, the declared size) is checked first; the bytes are then
streamed into the blob store and recorded in one transaction, or refused with a reason.
"""

from collections.abc import Iterable

from django.http import HttpRequest

from formats.generic.checksums import declared_checksums, verify_checksums
from formats.generic.layout import coordinates
from formats.generic.paths import RepoPath
from formats.generic.services import publish
from repository.formats import Format
from repository.models import Repository
from repository.refusals import Refusal
from repository.services.blobs import store_blob
from repository.services.packages import AssetConflict, AssetResult, QuotaExceeded
from repository.storage import UploadTooLarge

ALLOW_FILE = ("GET", "HEAD", "PUT", "DELETE", "OPTIONS")
ALLOW_FOLDER = ("GET", "HEAD", "POST", "OPTIONS")


def receive(
    request: HttpRequest,
    repository: Repository,
    fmt: Format,
    path: RepoPath,
    chunks: Iterable[bytes],
) -> AssetResult:
    """Store `chunks` as the file at `path`; raises a Refusal with the client's answer."""
    if path.folder:
        raise Refusal(405, "a folder URL takes no PUT; add the file name", allow=ALLOW_FOLDER)
    coordinates(repository.settings, path)
    declared = declared_checksums(request)
    try:
        blob = store_blob(chunks)
    except UploadTooLarge as error:
        raise Refusal(413, str(error)) from None
    verify_checksums(declared, blob)
    try:
        return publish(request, repository, fmt, path, blob)
    except AssetConflict:
        raise Refusal(
            409,
            f"{path.text} already exists with different content and this repository does "
            "not allow redeploys; delete it first or upload to a new path",
        ) from None
    except QuotaExceeded as error:
        raise Refusal(413, str(error)) from None
