"""npm search: GET /-/v1/search over one repository's packages."""

import pytest

from tests.npm.conftest import REPO


@pytest.fixture
def published(publish):
    publish("left-pad", "1.0.0", {"description": "pads strings", "keywords": ["string"]})
    publish("@acme/widget", "2.0.0", {"description": "a widget", "keywords": ["ui"]})


def search(client, **params):
    return client.get(f"{REPO}/-/v1/search", params)


def test_it_finds_packages_by_name_description_and_keyword(client, published):
    assert [o["package"]["name"] for o in search(client, text="pad").json()["objects"]] == [
        "left-pad"
    ]
    by_keyword = search(client, text="ui").json()["objects"]
    assert [o["package"]["name"] for o in by_keyword] == ["@acme/widget"]


def test_it_describes_results_as_npm_prints_them(client, published, deployer):
    result = search(client, text="widget").json()
    assert result["total"] == 1
    package = result["objects"][0]["package"]
    assert package["version"] == "2.0.0"
    assert package["scope"] == "acme"
    assert package["description"] == "a widget"
    assert package["maintainers"] == [{"username": "deployer", "email": deployer.email}]
    assert "searchScore" in result["objects"][0]


def test_it_pages_results(client, published):
    page = search(client, text="", size=1, **{"from": 1}).json()
    assert page["total"] == 2
    assert [o["package"]["name"] for o in page["objects"]] == ["left-pad"]


def test_it_answers_401_on_private_repositories(client, make_repository):
    make_repository("npm-hosted", "npm", private=True)
    assert search(client, text="x").status_code == 401


def test_it_answers_405_to_writes(client, npm_repository, deployer_auth):
    assert client.post(f"{REPO}/-/v1/search", **deployer_auth).status_code == 405


def test_it_answers_404_for_audit_endpoints(client, npm_repository):
    response = client.post(
        f"{REPO}/-/npm/v1/security/advisories/bulk", data="{}", content_type="application/json"
    )
    assert response.status_code == 404
    assert "error" in response.json()
