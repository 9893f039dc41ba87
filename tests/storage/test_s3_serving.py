"""Downloads from an S3 blob store: streamed with ranges, or redirected to a presigned URL."""

import urllib.request

import pytest

from repository.services.blobs import store_blob
from repository.storage import blob_store
from tests.conftest import serve_blob

DATA = bytes(range(256)) * 12_000  # ~3 MiB: several chunks on the way out


@pytest.fixture
def blob(s3_settings, db):
    return store_blob(DATA[i : i + 65536] for i in range(0, len(DATA), 65536))


def test_it_stores_uploads_in_the_bucket(blob, moto_s3, s3_prefix):
    assert blob.size == len(DATA)
    assert moto_s3.keys(s3_prefix) == [
        f"{s3_prefix}/blobs/sha256/{blob.sha256[:2]}/{blob.sha256[2:4]}/{blob.sha256}"
    ]


def test_it_streams_the_whole_file_through_larder(blob):
    response, body = serve_blob(blob)
    assert response.status_code == 200
    assert response.streaming
    assert body == DATA
    assert response["Content-Length"] == str(len(DATA))
    assert response["ETag"] == f'"{blob.sha256}"'


def test_it_streams_a_byte_range_from_the_bucket(blob):
    response, body = serve_blob(blob, HTTP_RANGE="bytes=1000000-1999999")
    assert response.status_code == 206
    assert body == DATA[1_000_000:2_000_000]
    assert response["Content-Range"] == f"bytes 1000000-1999999/{len(DATA)}"


def test_it_streams_a_suffix_range_from_the_bucket(blob):
    response, body = serve_blob(blob, HTTP_RANGE="bytes=-4096")
    assert response.status_code == 206
    assert body == DATA[-4096:]


def test_it_answers_head_with_the_headers_of_get_without_touching_the_bytes(blob):
    got, _ = serve_blob(blob)
    head, body = serve_blob(blob, "HEAD")
    assert body == b""
    for name in ("Content-Length", "ETag", "Content-Type", "Accept-Ranges"):
        assert head[name] == got[name]


def test_it_redirects_to_a_working_presigned_url_when_configured(blob, s3_settings):
    s3_settings.LARDER_S3_REDIRECT = True
    blob_store.cache_clear()
    response, _ = serve_blob(blob)
    assert response.status_code == 302
    with urllib.request.urlopen(response["Location"]) as presigned:
        assert presigned.read() == DATA
        assert presigned.headers["Content-Type"] == "application/gzip"


def test_it_still_answers_ranges_itself_when_redirects_are_on(blob, s3_settings):
    s3_settings.LARDER_S3_REDIRECT = True
    blob_store.cache_clear()
    response, body = serve_blob(blob, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert body == DATA[:100]


def test_it_answers_304_without_redirecting_when_the_client_has_it(blob, s3_settings):
    s3_settings.LARDER_S3_REDIRECT = True
    blob_store.cache_clear()
    response, _ = serve_blob(blob, HTTP_IF_NONE_MATCH=f'"{blob.sha256}"')
    assert response.status_code == 304
