"""Deployers publish and tag what they published; maintainers also deprecate, unpublish and
move any dist-tag."""

import pytest

from repository.models import Tag
from tests.npm.conftest import REPO, escaped, make_tarball, publish_body

TAGS = "/-/package/demo/dist-tags"


@pytest.fixture
def by_maintainer(put_json, maintainer_auth, redeployable_repository):
    """demo@1.0.0 published by the maintainer; demo@1.1.0 by the deployer."""
    body = publish_body("demo", "1.0.0", make_tarball({"name": "demo", "version": "1.0.0"}))
    assert put_json("/" + escaped("demo"), body, **maintainer_auth).status_code == 201


@pytest.fixture
def redeployable_repository(npm_repository):
    """Unpublishing allowed to whoever holds the delete right (the default delete policy)."""
    return npm_repository


@pytest.fixture
def both(by_maintainer, publish):
    assert publish("demo", "1.1.0").status_code == 201


def test_a_deployer_tags_its_own_versions(both, put_json, deployer_auth):
    response = put_json(f"{TAGS}/next", '"1.1.0"', **deployer_auth)
    assert response.status_code == 201


def test_a_deployer_may_not_tag_another_uploaders_version(both, put_json, deployer_auth):
    response = put_json(f"{TAGS}/stable", '"1.0.0"', **deployer_auth)
    assert response.status_code == 403
    assert "maintainer" in response.json()["error"]
    assert not Tag.objects.filter(name="stable").exists()


def test_a_deployer_may_not_move_a_tag_off_another_uploaders_version(
    both, client, put_json, maintainer_auth, deployer_auth
):
    assert put_json(f"{TAGS}/stable", '"1.0.0"', **maintainer_auth).status_code == 201
    assert put_json(f"{TAGS}/stable", '"1.1.0"', **deployer_auth).status_code == 403
    assert client.delete(REPO + f"{TAGS}/stable", **deployer_auth).status_code == 403
    assert Tag.objects.get(name="stable").version.version == "1.0.0"


def test_a_maintainer_moves_any_tag(both, client, put_json, maintainer_auth):
    assert put_json(f"{TAGS}/latest", '"1.1.0"', **maintainer_auth).status_code == 201
    assert put_json(f"{TAGS}/beta", '"1.1.0"', **maintainer_auth).status_code == 201
    assert client.delete(REPO + f"{TAGS}/beta", **maintainer_auth).status_code == 200


def test_a_deployer_may_not_deprecate(both, client, put_json, deployer_auth):
    document = client.get(f"{REPO}/demo?write=true").json()
    document["versions"]["1.1.0"]["deprecated"] = "old"
    response = put_json("/demo", document, **deployer_auth)
    assert response.status_code == 403
    assert "maintainer" in response.json()["error"]


def test_a_deployer_may_not_unpublish(both, client, deployer_auth, maintainer_auth):
    rev = client.get(f"{REPO}/demo?write=true").json()["_rev"]
    response = client.delete(f"{REPO}/demo/-rev/{rev}", **deployer_auth)
    assert response.status_code == 403
    assert "needs the delete right" in response.json()["error"]
    tarball = client.delete(f"{REPO}/demo/-/demo-1.1.0.tgz/-rev/{rev}", **deployer_auth)
    assert tarball.status_code == 403
    assert client.delete(f"{REPO}/demo/-rev/{rev}", **maintainer_auth).status_code == 200
