"""Both blob stores, behind the same BlobStore protocol, for the same tests.

S3 is a real moto server process on a free port on 127.0.0.1 (one per test session): the
S3 store talks HTTP to it exactly as it would to AWS or MinIO. Each test gets its own key
prefix, so listings and leftovers are the test's own.
"""

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from repository.storage import blob_store
from repository.storage.filesystem import FilesystemBlobStore
from repository.storage.s3 import S3BlobStore
from tests.e2e.conftest import free_port, start_live_server, wait_for  # noqa: F401 - fixture

BUCKET = "larder-test"
REGION = "us-east-1"
ACCESS_KEY = "testing"
SECRET_KEY = "testing"  # moto accepts any credentials


class MotoS3:
    """A running moto server: its endpoint and a client to inspect the bucket directly."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def store(self, prefix: str, **options) -> S3BlobStore:
        return S3BlobStore(
            BUCKET,
            endpoint_url=self.endpoint,
            region=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            prefix=prefix,
            **options,
        )

    def keys(self, prefix: str) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]

    def pending_multipart_uploads(self, prefix: str) -> list[str]:
        uploads = self.client.list_multipart_uploads(Bucket=BUCKET, Prefix=prefix)
        return [upload["Key"] for upload in uploads.get("Uploads", [])]

    def env(self, prefix: str) -> dict[str, str]:
        """The settings a Larder process needs to use this bucket."""
        return {
            "LARDER_BLOB_BACKEND": "s3",
            "LARDER_S3_BUCKET": BUCKET,
            "LARDER_S3_ENDPOINT_URL": self.endpoint,
            "LARDER_S3_REGION": REGION,
            "LARDER_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "LARDER_S3_SECRET_ACCESS_KEY": SECRET_KEY,
            "LARDER_S3_PREFIX": prefix,
        }


@pytest.fixture(scope="session")
def moto_s3(tmp_path_factory) -> Iterator[MotoS3]:
    executable = Path(sys.executable).parent / "moto_server"
    if not executable.exists():
        pytest.fail("moto_server is not installed: run `make test-deps`", pytrace=False)
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [str(executable), "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_for(endpoint + "/moto-api/", process)
        moto = MotoS3(endpoint)
        moto.client.create_bucket(Bucket=BUCKET)
        yield moto
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def s3_prefix() -> str:
    return f"t-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def s3_store(moto_s3, s3_prefix) -> S3BlobStore:
    return moto_s3.store(s3_prefix)


@pytest.fixture
def fs_store(tmp_path) -> FilesystemBlobStore:
    return FilesystemBlobStore(tmp_path / "blobs")


@pytest.fixture(params=["filesystem", "s3"])
def store(request):
    """Each test using this runs once per backend."""
    return request.getfixturevalue("fs_store" if request.param == "filesystem" else "s3_store")


@pytest.fixture
def temp_leftovers(moto_s3, s3_prefix):
    """What an ingest may have left behind in the store, besides finished blobs."""

    def leftovers(store) -> list[str]:
        if isinstance(store, FilesystemBlobStore):
            tmp = store.root / "tmp"
            return sorted(p.name for p in tmp.iterdir()) if tmp.exists() else []
        return moto_s3.keys(f"{s3_prefix}/tmp/") + moto_s3.pending_multipart_uploads(s3_prefix)

    return leftovers


@pytest.fixture
def s3_settings(settings, moto_s3, s3_prefix):
    """Make this process's configured blob store (blob_store()) the S3 one."""
    for name, value in moto_s3.env(s3_prefix).items():
        setattr(settings, name, value)
    blob_store.cache_clear()
    yield settings
    blob_store.cache_clear()
