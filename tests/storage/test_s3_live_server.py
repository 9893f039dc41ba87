"""A live Larder on an S3 blob store: curl uploads and downloads generic files through it."""

import hashlib
import os
import subprocess

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import require_tool

pytestmark = pytest.mark.e2e

DATA = os.urandom(20 * 1024 * 1024 + 123)  # past the multipart threshold
SHA256 = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def upload(tmp_path):
    path = tmp_path / "upload.bin"
    path.write_bytes(DATA)
    return path


def curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [require_tool("curl"), "--silent", "--show-error", *args],
        capture_output=True,
        check=True,
        timeout=120,
    )


def put(server, upload) -> str:
    """Upload as the deployer; the HTTP status."""
    url = server.repo_url("files") + "releases/tool-1.0.bin"
    done = curl("-u", f"deployer:{PASSWORD}", "-T", str(upload), "-w", "%{http_code}", url)
    return done.stdout.decode()[-3:]


def test_it_stores_uploads_in_the_bucket_and_streams_them_back(
    start_live_server, make_repository, moto_s3, s3_prefix, upload, tmp_path
):
    make_repository("files", "generic")
    server = start_live_server(moto_s3.env(s3_prefix))
    assert put(server, upload) == "201"
    stored_key = f"{s3_prefix}/blobs/sha256/{SHA256[:2]}/{SHA256[2:4]}/{SHA256}"
    assert moto_s3.keys(s3_prefix) == [stored_key]
    assert moto_s3.pending_multipart_uploads(s3_prefix) == []

    url = server.repo_url("files") + "releases/tool-1.0.bin"
    downloaded = tmp_path / "downloaded.bin"
    curl("-o", str(downloaded), "-D", str(tmp_path / "headers"), url)
    assert hashlib.sha256(downloaded.read_bytes()).hexdigest() == SHA256
    assert "HTTP/1.1 200" in (tmp_path / "headers").read_text()

    ranged = curl("-r", "1000000-1000099", "-w", "\n%{http_code}", url).stdout
    body, status = ranged.rsplit(b"\n", 1)
    assert status == b"206"
    assert body == DATA[1_000_000:1_000_100]

    head = curl("-I", url).stdout.decode().lower()
    assert f"content-length: {len(DATA)}" in head


def test_it_redirects_downloads_to_presigned_bucket_urls(
    start_live_server, make_repository, moto_s3, s3_prefix, upload, tmp_path
):
    make_repository("files", "generic")
    server = start_live_server({**moto_s3.env(s3_prefix), "LARDER_S3_REDIRECT": "true"})
    assert put(server, upload) == "201"
    url = server.repo_url("files") + "releases/tool-1.0.bin"

    redirect = curl("-o", os.devnull, "-w", "%{http_code} %{redirect_url}", url).stdout.decode()
    status, location = redirect.split(" ", 1)
    assert status == "302"
    assert location.startswith(moto_s3.endpoint + "/")

    downloaded = tmp_path / "downloaded.bin"
    curl("-L", "-o", str(downloaded), url)
    assert hashlib.sha256(downloaded.read_bytes()).hexdigest() == SHA256

    # Ranges (pip's lazy wheel reads, resumed downloads) are still answered by Larder itself.
    ranged = curl("-r", "-100", "-w", "\n%{http_code}", url).stdout
    body, status = ranged.rsplit(b"\n", 1)
    assert status == b"206"
    assert body == DATA[-100:]
