"""Turning an upload stream into a Blob row (stored once however often it is uploaded)."""

from collections.abc import Iterable

from django.conf import settings

from repository.models import Blob
from repository.storage import Digests, blob_store


def store_blob(chunks: Iterable[bytes], max_bytes: int | None = None) -> Blob:
    """Stream, hash and store the bytes; return their Blob (existing or new).

    Raises UploadTooLarge mid-stream. If the caller's transaction later rolls back, the
    stored bytes are unreferenced and blob GC removes them after its grace period.
    """
    limit = settings.LARDER_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    return record_blob(blob_store().ingest(chunks, limit))


def record_blob(digests: Digests) -> Blob:
    """The Blob row of bytes just stored (by ingest(), here or on another thread): inserted,
    or its last_seen refreshed, in one statement. A GC deleting the row re-checks last_seen
    and spares it; one that deleted it first sees it inserted again."""
    blob = Blob(
        sha256=digests.sha256,
        size=digests.size,
        md5=digests.md5,
        sha1=digests.sha1,
        sha512=digests.sha512,
        blake2b_256=digests.blake2b_256,
    )
    Blob.objects.bulk_create(
        [blob], update_conflicts=True, unique_fields=["sha256"], update_fields=["last_seen"]
    )
    return blob


def store_bytes(data: bytes) -> Blob:
    return store_blob([data])
