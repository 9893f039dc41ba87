"""npm dist-tag ls/add/rm: /-/package/<name>/dist-tags[/<tag>]."""

import pytest

from repository.models import AuditEvent
from tests.npm.conftest import REPO


@pytest.fixture
def published(publish):
    publish("@acme/widget", "1.0.0")
    publish("@acme/widget", "1.1.0")


TAGS = f"{REPO}/-/package/@acme%2fwidget/dist-tags"


def test_it_lists_tags(client, published):
    response = client.get(TAGS)
    assert response.status_code == 200
    assert response.json() == {"latest": "1.1.0"}


def test_it_adds_a_tag(client, published, put_json, deployer_auth):
    response = put_json("/-/package/@acme%2fwidget/dist-tags/stable", '"1.0.0"', **deployer_auth)
    assert response.status_code == 201
    assert client.get(TAGS).json() == {"latest": "1.1.0", "stable": "1.0.0"}
    packument = client.get(f"{REPO}/@acme%2fwidget").json()
    assert packument["dist-tags"]["stable"] == "1.0.0"
    assert AuditEvent.objects.filter(action="npm.dist-tag.add").exists()


def test_it_moves_latest(client, published, put_json, deployer_auth):
    put_json("/-/package/@acme%2fwidget/dist-tags/latest", '"1.0.0"', **deployer_auth)
    assert client.get(f"{REPO}/@acme%2fwidget").json()["dist-tags"]["latest"] == "1.0.0"


def test_it_removes_a_tag(client, published, put_json, deployer_auth):
    put_json("/-/package/@acme%2fwidget/dist-tags/stable", '"1.0.0"', **deployer_auth)
    response = client.delete(f"{TAGS}/stable", **deployer_auth)
    assert response.status_code == 200
    assert client.get(TAGS).json() == {"latest": "1.1.0"}
    assert AuditEvent.objects.filter(action="npm.dist-tag.rm").exists()


def test_it_refuses_to_remove_latest(client, published, deployer_auth):
    response = client.delete(f"{TAGS}/latest", **deployer_auth)
    assert response.status_code == 400
    assert "latest" in response.json()["error"]


def test_it_answers_404_for_unknown_tags_versions_and_packages(
    client, published, put_json, deployer_auth
):
    assert client.delete(f"{TAGS}/nope", **deployer_auth).status_code == 404
    missing = put_json("/-/package/@acme%2fwidget/dist-tags/x", '"9.9.9"', **deployer_auth)
    assert missing.status_code == 404
    assert client.get(f"{REPO}/-/package/nothing/dist-tags").status_code == 404


@pytest.mark.parametrize(("tag", "body"), [("1.x", '"1.0.0"'), ("ok", '{"v": 1}'), ("ok", "nope")])
def test_it_rejects_bad_tags_and_bodies(published, put_json, deployer_auth, tag, body):
    response = put_json(f"/-/package/@acme%2fwidget/dist-tags/{tag}", body, **deployer_auth)
    assert response.status_code == 400
    assert "error" in response.json()


def test_it_asks_anonymous_writers_to_authenticate(published, put_json):
    response = put_json("/-/package/@acme%2fwidget/dist-tags/stable", '"1.0.0"')
    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")


def test_it_forbids_readers_to_change_tags(client, published, reader_auth):
    assert client.delete(f"{TAGS}/latest", **reader_auth).status_code == 403


def test_it_answers_405_to_other_methods(client, published, deployer_auth):
    assert client.post(TAGS, **deployer_auth).status_code == 405
    assert client.get(f"{TAGS}/latest").status_code == 405
