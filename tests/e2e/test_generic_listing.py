"""Folder listings fetched with curl: HTML by default, JSON on request."""

import pytest

from tests.generic.fixtures import (  # noqa: F401 - fixtures
    curl_fixture,
    deployer_auth_fixture,
    fast_password_hashing,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def tree(live, make_repository, deployer_auth, curl, tmp_path):
    make_repository("files", "generic")
    source = tmp_path / "f"
    for path in ["release/1.0/app.tgz", "release/1.0/app.zip", "release/2.0/app.tgz", "README"]:
        source.write_bytes(path.encode())
        assert (
            curl("-u", deployer_auth, "-T", str(source), live.repo_url("files") + path).status
            == 201
        )
    return live.repo_url("files")


def test_it_lists_a_folder_as_json(tree, curl):
    response = curl("-H", "Accept: application/json", tree + "release/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    listing = response.json()
    assert [(f["name"], f["files"]) for f in listing["folders"]] == [("1.0", 2), ("2.0", 1)]
    assert listing["files"] == []

    version = curl("-H", "Accept: application/json", listing["folders"][0]["url"]).json()
    assert [(f["name"], f["size"]) for f in version["files"]] == [("app.tgz", 19), ("app.zip", 19)]
    assert curl(version["files"][0]["url"]).body == b"release/1.0/app.tgz"


def test_it_lists_the_root_as_html(tree, curl):
    response = curl(tree)
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/html")
    assert f'href="{tree}release/"' in response.text
    assert f'href="{tree}README"' in response.text


def test_it_answers_304_for_an_unchanged_listing(tree, curl):
    etag = curl("-H", "Accept: application/json", tree).headers["etag"]
    again = curl("-H", "Accept: application/json", "-H", f"If-None-Match: {etag}", tree)
    assert again.status == 304


def test_it_answers_404_for_a_folder_that_does_not_exist(tree, curl):
    response = curl("-H", "Accept: application/json", tree + "nothing/")
    assert response.status == 404
    assert response.json()["error"] == "not found: nothing"
