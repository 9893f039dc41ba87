"""Distribution downloads: exact bytes, HEAD parity, ranges, 304, immutable, counted."""

from repository.counters import flush_download_counts
from repository.models import Asset, Version
from tests.pypi.conftest import OUTSIDER, READER

URL = "/repository/py/files/tiny-pkg/1.0/tiny_pkg-1.0-py3-none-any.whl"


def test_it_serves_the_uploaded_bytes(repo, upload, wheel, client):
    upload(repo, wheel)
    response = client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response.getvalue() == wheel.data
    assert response["Content-Length"] == str(len(wheel.data))
    assert "Content-Encoding" not in response
    assert "immutable" in response["Cache-Control"]
    assert response["X-Checksum-Sha256"] == wheel.sha256


def test_it_answers_head_with_the_same_headers_as_get(repo, upload, wheel, client):
    upload(repo, wheel)
    get, head = client.get(URL), client.head(URL)
    assert head.status_code == 200
    for header in ("Content-Length", "Content-Type", "ETag", "Accept-Ranges", "Last-Modified"):
        assert head[header] == get[header]


def test_it_answers_a_suffix_range_as_lazy_wheel_readers_ask(repo, upload, wheel, client):
    upload(repo, wheel)
    response = client.get(URL, HTTP_RANGE="bytes=-100")
    assert response.status_code == 206
    assert response.getvalue() == wheel.data[-100:]
    size = len(wheel.data)
    assert response["Content-Range"] == f"bytes {size - 100}-{size - 1}/{size}"


def test_it_answers_an_unsatisfiable_range_with_416(repo, upload, wheel, client):
    upload(repo, wheel)
    response = client.get(URL, HTTP_RANGE=f"bytes={len(wheel.data) + 10}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(wheel.data)}"


def test_it_answers_304_to_a_matching_etag(repo, upload, wheel, client):
    upload(repo, wheel)
    etag = client.get(URL)["ETag"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_it_counts_full_downloads(repo, upload, wheel, client):
    upload(repo, wheel)
    client.get(URL)
    client.head(URL)
    client.get(URL, HTTP_RANGE="bytes=0-9")
    flush_download_counts()
    assert Asset.objects.get(filename=wheel.filename).download_count == 1
    assert Version.objects.get(version="1.0").download_count == 1


def test_it_answers_404_for_an_unknown_file(repo, client):
    assert client.get("/repository/py/files/tiny-pkg/1.0/nothing.whl").status_code == 404


def test_it_answers_405_to_a_put(repo, upload, wheel, client):
    upload(repo, wheel)
    assert client.put(URL, b"x").status_code == 405


def test_it_guards_files_of_a_private_repository(private_repo, upload, wheel, client, outsider):
    upload(private_repo, wheel)
    url = URL.replace("/py/", "/secret/")
    assert client.get(url).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION=OUTSIDER).status_code == 404


def test_it_lets_shared_caches_keep_public_files_only(repo, private_repo, upload, wheel, client):
    """A CDN or an nginx cache in front must never hand a private file to someone else."""
    upload(repo, wheel)
    upload(private_repo, wheel)
    public = client.get(URL)
    private = client.get(URL.replace("/py/", "/secret/"), HTTP_AUTHORIZATION=READER)
    metadata = client.get(URL.replace("/py/", "/secret/") + ".metadata", HTTP_AUTHORIZATION=READER)
    assert public["Cache-Control"].startswith("public,")
    assert "s-maxage=60" in public["Cache-Control"]
    assert private.status_code == metadata.status_code == 200
    assert private["Cache-Control"].startswith("private,")
    assert metadata["Cache-Control"].startswith("private,")
