"""Downloads answer conditional and range requests as HTTP says, for every format."""

import pytest
from django.utils import timezone
from django.utils.http import http_date

from repository.services.blobs import store_bytes
from repository.serving import parse_range
from tests.conftest import serve_blob

DATA = bytes(range(256)) * 40  # 10,240 bytes


@pytest.fixture
def blob(db):
    return store_bytes(DATA)


def test_it_serves_the_whole_file_with_length_etag_and_checksums(blob):
    response, body = serve_blob(blob)
    assert response.status_code == 200
    assert body == DATA
    assert response["Content-Length"] == str(len(DATA))
    assert response["ETag"] == f'"{blob.sha256}"'
    assert response["X-Checksum-Sha256"] == blob.sha256
    assert response["Accept-Ranges"] == "bytes"
    assert not response.has_header("Content-Encoding")


def test_it_answers_head_with_the_headers_of_get(blob):
    got, _ = serve_blob(blob)
    head, body = serve_blob(blob, "HEAD")
    assert body == b""
    for name in ("Content-Length", "ETag", "Content-Type", "Accept-Ranges", "Last-Modified"):
        assert head[name] == got[name]


def test_it_answers_304_when_the_etag_matches(blob):
    response, body = serve_blob(blob, HTTP_IF_NONE_MATCH=f'"{blob.sha256}"')
    assert response.status_code == 304
    assert body == b""


def test_it_serves_a_middle_range(blob):
    response, body = serve_blob(blob, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert body == DATA[100:200]
    assert response["Content-Range"] == f"bytes 100-199/{len(DATA)}"
    assert response["Content-Length"] == "100"


def test_it_serves_a_suffix_range_for_lazy_wheel_reads(blob):
    response, body = serve_blob(blob, HTTP_RANGE="bytes=-50")
    assert response.status_code == 206
    assert body == DATA[-50:]


def test_it_serves_an_open_range_to_resume_a_download(blob):
    response, body = serve_blob(blob, HTTP_RANGE="bytes=10000-")
    assert response.status_code == 206
    assert body == DATA[10000:]


def test_it_answers_416_for_a_range_past_the_end(blob):
    response, _ = serve_blob(blob, HTTP_RANGE=f"bytes={len(DATA)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(DATA)}"


def test_it_ignores_the_range_when_if_range_names_another_version(blob):
    response, body = serve_blob(blob, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"')
    assert response.status_code == 200
    assert body == DATA


def test_it_honours_the_range_when_if_range_matches(blob):
    response, body = serve_blob(blob, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=f'"{blob.sha256}"')
    assert response.status_code == 206
    assert body == DATA[:10]


def test_it_honours_if_range_with_a_date(blob):
    later = http_date(timezone.now().timestamp() + 60)
    response, body = serve_blob(blob, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=later)
    assert response.status_code == 206
    assert body == DATA[:10]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", (0, 0)),
        ("bytes=5-", (5, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-1000", (0, 99)),
        ("bytes=90-200", (90, 99)),
        ("bytes=100-", "unsatisfiable"),
        ("bytes=-0", "unsatisfiable"),
        ("bytes=9-3", "unsatisfiable"),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
    ],
)
def test_it_parses_ranges_as_rfc_9110_says(header, expected):
    assert parse_range(header, 100) == expected


def test_it_names_the_file_alike_on_get_and_head(blob):
    got, _ = serve_blob(blob)
    head, _ = serve_blob(blob, "HEAD")
    assert got["Content-Disposition"] == head["Content-Disposition"]
    assert 'filename="demo-1.0.tar.gz"' in head["Content-Disposition"]
