"""The configured blob store, built once per process from settings."""

from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from repository.storage.base import BlobStore, Digests, UploadTooLarge, Verifier, iter_file

__all__ = ["BlobStore", "Digests", "UploadTooLarge", "Verifier", "blob_store", "iter_file"]


@cache
def blob_store() -> BlobStore:
    backend = settings.LARDER_BLOB_BACKEND
    if backend == "filesystem":
        from repository.storage.filesystem import FilesystemBlobStore

        return FilesystemBlobStore(settings.LARDER_BLOB_DIR)
    if backend == "s3":
        from repository.storage.s3 import S3BlobStore

        if not settings.LARDER_S3_BUCKET:
            raise ImproperlyConfigured("LARDER_BLOB_BACKEND=s3 needs LARDER_S3_BUCKET")
        return S3BlobStore(
            settings.LARDER_S3_BUCKET,
            endpoint_url=settings.LARDER_S3_ENDPOINT_URL,
            region=settings.LARDER_S3_REGION,
            access_key=settings.LARDER_S3_ACCESS_KEY_ID,
            secret_key=settings.LARDER_S3_SECRET_ACCESS_KEY,
            prefix=settings.LARDER_S3_PREFIX,
            redirect=settings.LARDER_S3_REDIRECT,
            presign_seconds=settings.LARDER_S3_PRESIGN_SECONDS,
        )
    raise ImproperlyConfigured(f"LARDER_BLOB_BACKEND={backend!r}: use 'filesystem' or 's3'")
