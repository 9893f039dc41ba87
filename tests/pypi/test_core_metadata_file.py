"""PEP 658/714: `<file url>.metadata` serves the wheel's exact METADATA bytes."""

import hashlib

from tests.pypi.conftest import READER

WHEEL_URL = "/repository/py/files/tiny-pkg/1.0/tiny_pkg-1.0-py3-none-any.whl"


def test_it_serves_the_exact_metadata_bytes_with_the_advertised_hash(repo, upload, wheel, client):
    upload(repo, wheel)
    response = client.get(WHEEL_URL + ".metadata")
    assert response.status_code == 200
    body = response.getvalue()
    assert body == wheel.metadata
    page = client.get("/repository/py/simple/tiny-pkg/").content.decode()
    assert f'data-core-metadata="sha256={hashlib.sha256(body).hexdigest()}"' in page


def test_it_has_no_metadata_file_for_an_sdist(repo, upload, sdist, client):
    upload(repo, sdist)
    response = client.get("/repository/py/files/tiny-pkg/1.0/tiny_pkg-1.0.tar.gz.metadata")
    assert response.status_code == 404


def test_it_does_not_count_a_metadata_fetch_as_a_download(repo, upload, wheel, client):
    from repository.counters import flush_download_counts
    from repository.models import Version

    upload(repo, wheel)
    client.get(WHEEL_URL + ".metadata")
    flush_download_counts()
    assert Version.objects.get(version="1.0").download_count == 0


def test_it_keeps_metadata_files_out_of_the_index(repo, upload, wheel, client):
    upload(repo, wheel)
    page = client.get("/repository/py/simple/tiny-pkg/").content.decode()
    assert ".whl.metadata" not in page


def test_it_asks_anonymous_clients_of_a_private_repository_to_authenticate(
    private_repo, upload, wheel, client
):
    upload(private_repo, wheel)
    url = "/repository/secret/files/tiny-pkg/1.0/tiny_pkg-1.0-py3-none-any.whl.metadata"
    assert client.get(url).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION=READER).getvalue() == wheel.metadata
