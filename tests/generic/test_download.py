"""GET/HEAD <path>: the file with checksums, validators, ranges and a guessed Content-Type."""

import hashlib

import pytest

from repository.counters import flush_download_counts
from repository.models import Asset
from tests.generic.conftest import OUTSIDER, READER, body

DATA = bytes(range(256)) * 16  # 4,096 bytes


@pytest.fixture
def uploaded(repo, put):
    assert put(repo, "dist/app-1.0.tar.gz", DATA).status_code == 201
    return Asset.objects.get(repository=repo, path="dist/app-1.0.tar.gz")


def test_it_serves_the_bytes_with_checksums_and_validators(repo, get, uploaded):
    response = get(repo, "dist/app-1.0.tar.gz")
    assert response.status_code == 200
    assert body(response) == DATA
    assert response["Content-Length"] == str(len(DATA))
    assert response["X-Checksum-Sha256"] == hashlib.sha256(DATA).hexdigest()
    assert response["X-Checksum-Sha1"] == hashlib.sha1(DATA).hexdigest()
    assert response["X-Checksum-Md5"] == hashlib.md5(DATA).hexdigest()
    assert response["ETag"] == f'"{hashlib.sha256(DATA).hexdigest()}"'
    assert response["Last-Modified"].endswith("GMT")
    assert response["Accept-Ranges"] == "bytes"


def test_it_never_claims_a_content_encoding_for_compressed_files(repo, get, uploaded):
    response = get(repo, "dist/app-1.0.tar.gz")
    assert response["Content-Type"] == "application/gzip"
    assert not response.has_header("Content-Encoding")


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("notes.txt", "text/plain"),
        ("data.json", "application/json"),
        ("image.png", "image/png"),
        ("tool.zip", "application/zip"),
        ("archive.tar.xz", "application/x-xz"),
        ("no-extension", "application/octet-stream"),
    ],
)
def test_it_guesses_the_content_type_from_the_name(repo, put, get, name, content_type):
    put(repo, name, b"x")
    assert get(repo, name)["Content-Type"] == content_type


def test_it_sandboxes_uploaded_pages_so_they_cannot_script_larder(repo, put, get):
    put(repo, "page.html", b"<script>alert(1)</script>")
    response = get(repo, "page.html")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_answers_head_with_the_headers_of_get_and_no_body(repo, get, uploaded):
    got = get(repo, "dist/app-1.0.tar.gz")
    head = get(repo, "dist/app-1.0.tar.gz", method="head")
    assert head.status_code == 200
    assert body(head) == b""
    for name in ("Content-Length", "Content-Type", "ETag", "Last-Modified", "X-Checksum-Sha256"):
        assert head[name] == got[name]


def test_it_answers_304_to_a_matching_if_none_match(repo, get, uploaded):
    etag = get(repo, "dist/app-1.0.tar.gz")["ETag"]
    response = get(repo, "dist/app-1.0.tar.gz", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert body(response) == b""


def test_it_answers_304_to_if_modified_since(repo, get, uploaded):
    modified = get(repo, "dist/app-1.0.tar.gz")["Last-Modified"]
    response = get(repo, "dist/app-1.0.tar.gz", HTTP_IF_MODIFIED_SINCE=modified)
    assert response.status_code == 304


def test_it_serves_a_range(repo, get, uploaded):
    response = get(repo, "dist/app-1.0.tar.gz", HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert body(response) == DATA[100:200]
    assert response["Content-Range"] == f"bytes 100-199/{len(DATA)}"


def test_it_serves_a_suffix_range(repo, get, uploaded):
    response = get(repo, "dist/app-1.0.tar.gz", HTTP_RANGE="bytes=-10")
    assert response.status_code == 206
    assert body(response) == DATA[-10:]


def test_it_serves_the_rest_of_the_file_to_resume(repo, get, uploaded):
    response = get(repo, "dist/app-1.0.tar.gz", HTTP_RANGE="bytes=4000-")
    assert response.status_code == 206
    assert body(response) == DATA[4000:]


def test_it_answers_416_for_a_range_past_the_end(repo, get, uploaded):
    response = get(repo, "dist/app-1.0.tar.gz", HTTP_RANGE=f"bytes={len(DATA)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(DATA)}"


def test_it_sends_the_whole_file_when_if_range_names_other_bytes(repo, get, uploaded):
    response = get(
        repo, "dist/app-1.0.tar.gz", HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"not-this-one"'
    )
    assert response.status_code == 200
    assert body(response) == DATA


def test_it_honours_a_range_when_if_range_matches(repo, get, uploaded):
    etag = get(repo, "dist/app-1.0.tar.gz")["ETag"]
    response = get(repo, "dist/app-1.0.tar.gz", HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert response.status_code == 206
    assert body(response) == DATA[:10]


def test_it_counts_full_downloads_only(repo, get, uploaded):
    get(repo, "dist/app-1.0.tar.gz")
    get(repo, "dist/app-1.0.tar.gz", method="head")
    get(repo, "dist/app-1.0.tar.gz", HTTP_RANGE="bytes=0-9")
    flush_download_counts()
    uploaded.refresh_from_db()
    assert uploaded.download_count == 1
    assert uploaded.last_downloaded is not None


def test_it_tells_caches_to_revalidate_because_paths_can_change(repo, get, uploaded):
    assert get(repo, "dist/app-1.0.tar.gz")["Cache-Control"] == "no-cache"


def test_it_answers_404_for_a_missing_file(repo, get):
    response = get(repo, "dist/missing.tar.gz")
    assert response.status_code == 404
    assert response.content.decode() == "404 not found: dist/missing.tar.gz\n"


def test_it_answers_404_for_an_unknown_repository(client, db):
    assert client.get("/repository/nope/a.bin").status_code == 404


@pytest.fixture
def secret_file(private_repo, put):
    assert put(private_repo, "secret.bin", DATA).status_code == 201


def test_it_answers_401_to_anonymous_readers_of_a_private_repository(
    private_repo, get, secret_file
):
    response = get(private_repo, "secret.bin")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Basic")


def test_it_answers_404_to_an_outsider_of_a_private_repository(
    private_repo, get, secret_file, outsider
):
    assert get(private_repo, "secret.bin", auth=OUTSIDER).status_code == 404


def test_it_serves_a_private_file_to_a_reader_and_to_a_token(
    private_repo, get, secret_file, reader, make_token
):
    assert body(get(private_repo, "secret.bin", auth=READER)) == DATA
    token = make_token(reader)
    assert body(get(private_repo, "secret.bin", auth=f"Bearer {token}")) == DATA
    assert get(private_repo, "secret.bin", auth=f"Bearer {token}")["Cache-Control"] == (
        "private, no-cache"
    )
