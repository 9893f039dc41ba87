"""An upload, step by step: each step either passes its result on or raises Refusal.

stream+hash -> limits -> verify digests -> parse the file's metadata -> check agreement ->
record (dedup and conflicts decided by the database). A refusal after the blob is stored
leaves at most an unreferenced blob, which blob GC removes.
"""

from django.http import HttpRequest

from formats.pypi.archives import read_core_metadata
from formats.pypi.metadata import CoreMetadata, DistFilename, check_agreement, parse_core_metadata
from formats.pypi.uploads.checks import check_filename, verify_digests
from formats.pypi.uploads.form import UploadForm, check_declared_size, read_form
from formats.pypi.uploads.record import Release, record_release
from repository.models import Blob
from repository.refusals import Refusal
from repository.services.blobs import store_blob
from repository.services.packages import AssetResult
from repository.storage import UploadTooLarge, iter_file


def store_content(form: UploadForm) -> Blob:
    """Stream the file into the blob store while hashing; the size limit applies mid-stream."""
    form.content.seek(0)
    try:
        return store_blob(iter_file(form.content))
    except UploadTooLarge as exc:
        raise Refusal(
            413, f"Upload exceeds the limit of {exc.limit} bytes", label="too-large"
        ) from exc
    finally:
        form.content.seek(0)


def read_metadata(form: UploadForm, dist: DistFilename) -> CoreMetadata:
    """The file's own METADATA/PKG-INFO, which must agree with the form and the filename."""
    raw = read_core_metadata(form.content, dist.filename, form.content.size, dist.project)
    metadata = parse_core_metadata(raw)
    check_agreement(metadata, dist, form.name, form.version)
    return metadata


def handle_upload(request: HttpRequest) -> AssetResult:
    check_declared_size(request)
    form = read_form(request)
    dist = check_filename(form)
    blob = store_content(form)
    verify_digests(form, blob)
    metadata = read_metadata(form, dist)
    context = request.larder
    release = Release(context.write_target, context.format, dist, metadata, blob)
    return record_release(request, release)
