"""Blobs in an S3-compatible bucket, streamed in and out through boto3 (never whole in memory).

django-storages' S3 file objects buffer whole objects, so reads and writes use the boto3
client directly; the client is configured from the same LARDER_S3_* settings.
"""

import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError
from django.utils.http import content_disposition_header

from repository.storage.base import CHUNK_SIZE, Digests, HashingReader, Verifier, blob_key

# Two 8 MiB parts in flight and in memory at most: memory stays flat for any object size.
_TRANSFER = TransferConfig(multipart_chunksize=8 * 1024**2, max_concurrency=2, use_threads=True)
_TRANSFER.max_in_memory_upload_chunks = 2  # s3transfer's own knob (default 10), not in __init__


class S3BlobStore:
    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        prefix: str = "",
        redirect: bool = False,
        presign_seconds: int = 300,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.redirect = redirect
        self.presign_seconds = presign_seconds
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint_url or None,
            region_name=region or None,
            aws_access_key_id=access_key or None,
            aws_secret_access_key=secret_key or None,
            config=Config(signature_version="s3v4", retries={"max_attempts": 3}),
        )

    def _key(self, sha256: str) -> str:
        return self.prefix + blob_key(sha256)

    def ingest(
        self, chunks: Iterable[bytes], max_bytes: int | None = None, verify: Verifier | None = None
    ) -> Digests:
        temp_key = f"{self.prefix}tmp/{uuid.uuid4().hex}"
        reader = HashingReader(chunks, max_bytes)
        try:
            self.client.upload_fileobj(reader, self.bucket, temp_key, Config=_TRANSFER)
            digests = reader.digests()
            if verify is not None:
                verify(digests)
            # Copied even when the blob exists: the fresh LastModified keeps GC's grace
            # period honest for bytes an upload has just reused (as the filesystem's utime).
            self.client.copy(
                {"Bucket": self.bucket, "Key": temp_key},
                self.bucket,
                self._key(digests.sha256),
                Config=_TRANSFER,
            )
            return digests
        finally:
            self.client.delete_object(Bucket=self.bucket, Key=temp_key)

    def _head(self, key: str) -> bool:
        return self._head_object(key) is not None

    def _head_object(self, key: str) -> dict | None:
        try:
            return self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey", "NotFound"}:
                return None
            raise

    def open(self, sha256: str) -> BinaryIO:
        body = self.client.get_object(Bucket=self.bucket, Key=self._key(sha256))["Body"]
        return body  # type: ignore[return-value]

    def iter_range(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        response = self.client.get_object(
            Bucket=self.bucket, Key=self._key(sha256), Range=f"bytes={start}-{end}"
        )
        body = response["Body"]
        try:
            yield from body.iter_chunks(CHUNK_SIZE)
        finally:
            body.close()

    def exists(self, sha256: str) -> bool:
        return self._head(self._key(sha256))

    def modified(self, sha256: str) -> float | None:
        head = self._head_object(self._key(sha256))
        return head["LastModified"].timestamp() if head else None

    def delete(self, sha256: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(sha256))

    def delete_if_unwritten_since(self, sha256: str, cutoff: float) -> bool:
        """Checked, then deleted: S3 offers no conditional delete on the modification
        time, so an upload rewriting these bytes in between loses them (docs/operations.md)."""
        modified = self.modified(sha256)
        if modified is None or modified >= cutoff:
            return False
        self.delete(sha256)
        return True

    def keys(self) -> Iterator[tuple[str, float]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix + "blobs/sha256/"):
            for item in page.get("Contents", []):
                yield item["Key"].rsplit("/", 1)[-1], item["LastModified"].timestamp()

    def local_path(self, sha256: str) -> Path | None:
        return None

    def presigned_url(self, sha256: str, filename: str, content_type: str) -> str | None:
        if not self.redirect:
            return None
        return self.client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": self._key(sha256),
                "ResponseContentType": content_type,
                # RFC 6266: quotes escaped, non-ASCII names as filename*=utf-8''...
                "ResponseContentDisposition": content_disposition_header(True, filename),
            },
            ExpiresIn=self.presign_seconds,
        )

    def check(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)
