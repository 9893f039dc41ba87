"""Tarball downloads at every path form, through the core's blob_response."""

import pytest

from repository.counters import flush_download_counts
from repository.models import Asset, Version
from repository.storage import blob_store
from tests.conftest import PASSWORD, basic_auth
from tests.npm.conftest import REPO


@pytest.fixture
def scoped(publish):
    publish("@acme/widget", "1.0.0", files={"package/index.js": b"module.exports = 42\n"})
    return Asset.objects.get()


@pytest.mark.parametrize(
    "path",
    [
        "@acme/widget/-/widget-1.0.0.tgz",
        "@acme%2fwidget/-/widget-1.0.0.tgz",
        "@acme%2Fwidget/-/widget-1.0.0.tgz",
        "@acme/widget/-/@acme/widget-1.0.0.tgz",
    ],
)
def test_it_serves_scoped_tarballs_at_every_path_form(client, scoped, path):
    response = client.get(f"{REPO}/{path}")
    assert response.status_code == 200
    with blob_store().open(scoped.blob.sha256) as stored:
        assert response.getvalue() == stored.read()
    assert response["Content-Type"] == "application/octet-stream"
    assert response["ETag"] == f'"{scoped.blob.sha256}"'
    assert not response.has_header("Content-Encoding")


def test_it_serves_identical_bytes_at_every_path_form(client, scoped):
    bodies = {
        client.get(f"{REPO}/{path}").getvalue()
        for path in (
            "@acme/widget/-/widget-1.0.0.tgz",
            "@acme%2fwidget/-/widget-1.0.0.tgz",
            "@acme/widget/-/@acme/widget-1.0.0.tgz",
        )
    }
    assert len(bodies) == 1
    assert len(bodies.pop()) == scoped.blob.size


def test_it_serves_unscoped_tarballs(client, publish):
    publish("demo", "1.0.0")
    response = client.get(f"{REPO}/demo/-/demo-1.0.0.tgz")
    assert response.status_code == 200
    assert response.getvalue()[:2] == b"\x1f\x8b"


def test_it_refuses_a_mismatched_repeated_scope(client, scoped):
    assert client.get(f"{REPO}/@acme/widget/-/@other/widget-1.0.0.tgz").status_code == 404


def test_it_answers_ranges_head_and_304(client, scoped):
    url = f"{REPO}/@acme/widget/-/widget-1.0.0.tgz"
    ranged = client.get(url, HTTP_RANGE="bytes=0-9")
    assert ranged.status_code == 206
    assert len(ranged.getvalue()) == 10
    head = client.head(url)
    assert head.status_code == 200
    assert head["Content-Length"] == str(scoped.blob.size)
    assert client.get(url, HTTP_IF_NONE_MATCH=head["ETag"]).status_code == 304


def test_it_counts_downloads(client, scoped):
    client.get(f"{REPO}/@acme/widget/-/widget-1.0.0.tgz").getvalue()
    client.head(f"{REPO}/@acme/widget/-/widget-1.0.0.tgz")
    flush_download_counts()
    assert Asset.objects.get().download_count == 1
    assert Version.objects.get().download_count == 1


def test_it_answers_404_for_unknown_tarballs(client, scoped):
    response = client.get(f"{REPO}/@acme/widget/-/widget-9.9.9.tgz")
    assert response.status_code == 404
    assert "error" in response.json()


def test_it_answers_401_and_404_on_private_repositories(client, make_repository, outsider):
    make_repository("npm-hosted", "npm", private=True)
    url = f"{REPO}/demo/-/demo-1.0.0.tgz"
    assert client.get(url).status_code == 401
    auth = basic_auth("outsider", PASSWORD)
    assert client.get(url, HTTP_AUTHORIZATION=auth).status_code == 404


def test_it_answers_405_to_other_methods(client, scoped, deployer_auth):
    response = client.post(f"{REPO}/@acme/widget/-/widget-1.0.0.tgz", **deployer_auth)
    assert response.status_code == 405
    assert "error" in response.json()
