"""Downloads with real curl and wget: resume, ranges, suffix ranges, 304, HEAD."""

import hashlib
import subprocess

import pytest

from repository.models import Asset
from tests.e2e.conftest import require_tool
from tests.generic.fixtures import (  # noqa: F401 - fixtures
    curl_fixture,
    deployer_auth_fixture,
    fast_password_hashing,
)

pytestmark = pytest.mark.e2e

DATA = bytes(range(256)) * 12_000  # about 3 MB: several chunks on the wire
DIGEST = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def file_url(live, make_repository, deployer_auth, curl, tmp_path):
    make_repository("files", "generic")
    source = tmp_path / "big.bin"
    source.write_bytes(DATA)
    url = live.repo_url("files") + "dist/big.bin"
    assert curl("-u", deployer_auth, "-T", str(source), url).status == 201
    return url


def test_it_resumes_a_partial_download_with_curl_c(file_url, curl, tmp_path):
    partial = tmp_path / "big.bin.part"
    partial.write_bytes(DATA[:1_000_000])
    response = curl("-C", "-", file_url, output=partial)
    assert response.status == 206
    assert response.returncode == 0
    assert hashlib.sha256(partial.read_bytes()).hexdigest() == DIGEST


def test_it_resumes_a_partial_download_with_wget_c(file_url, tmp_path):
    wget = require_tool("wget")
    partial = tmp_path / "big.bin"
    partial.write_bytes(DATA[:123_457])
    subprocess.run(
        [wget, "--no-config", "-q", "--no-proxy", "-c", "-O", str(partial), file_url],
        check=True,
        timeout=60,
    )
    assert hashlib.sha256(partial.read_bytes()).hexdigest() == DIGEST


def test_it_serves_a_byte_range(file_url, curl):
    response = curl("-r", "1000-1999", file_url)
    assert response.status == 206
    assert response.body == DATA[1000:2000]
    assert response.headers["content-range"] == f"bytes 1000-1999/{len(DATA)}"


def test_it_serves_a_suffix_range(file_url, curl):
    response = curl("-r", "-64", file_url)
    assert response.status == 206
    assert response.body == DATA[-64:]


def test_it_answers_416_past_the_end(file_url, curl):
    response = curl("-r", f"{len(DATA)}-", file_url)
    assert response.status == 416
    assert response.headers["content-range"] == f"bytes */{len(DATA)}"


def test_it_answers_304_to_if_none_match(file_url, curl):
    etag = curl("-I", file_url).headers["etag"]
    assert etag == f'"{DIGEST}"'
    response = curl("-H", f"If-None-Match: {etag}", file_url)
    assert response.status == 304
    assert response.body == b""


def test_it_answers_head_with_the_length_and_checksums(file_url, curl):
    response = curl("-I", file_url)
    assert response.status == 200
    assert response.headers["content-length"] == str(len(DATA))
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["x-checksum-sha256"] == DIGEST
    assert response.headers["x-checksum-md5"] == hashlib.md5(DATA).hexdigest()
    assert "last-modified" in response.headers


def test_it_counts_a_download(live, file_url, curl):
    assert curl(file_url).body == DATA
    live.flush_download_counts()
    assert Asset.objects.get().download_count == 1
