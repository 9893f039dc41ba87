"""An npm group: packuments merged from its members, tarballs and publishes through it."""

import pytest

from repository.models import Asset
from tests.groups.conftest import reorder

CORGI = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"


@pytest.fixture
def group(make_repository, make_group):
    make_repository("npm-internal", "npm")
    make_repository("npm-extra", "npm")
    return make_group("npm-all", "npm", ["npm-internal", "npm-extra"], write_to="npm-internal")


def packument(client, name: str = "demo", accept: str = "application/json") -> dict:
    response = client.get(f"/repository/npm-all/{name}", HTTP_ACCEPT=accept)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("accept", ["application/json", CORGI], ids=["full", "abbreviated"])
def test_versions_come_from_every_member_and_dist_tags_from_the_first(
    group, npm_publish, client, accept
):
    npm_publish("npm-extra", "demo", "2.0.0")
    npm_publish("npm-internal", "demo", "1.0.0")
    document = packument(client, accept=accept)
    assert list(document["versions"]) == ["1.0.0", "2.0.0"]
    assert document["dist-tags"] == {"latest": "1.0.0"}
    assert {"1.0.0", "2.0.0", "created", "modified"} <= set(document["time"])


def test_tarball_urls_point_at_the_group_and_download_through_it(group, npm_publish, client):
    npm_publish("npm-extra", "@corp/widget", "1.0.0")
    document = packument(client, "@corp%2fwidget")
    tarball = document["versions"]["1.0.0"]["dist"]["tarball"]
    assert tarball == "http://testserver/repository/npm-all/@corp/widget/-/widget-1.0.0.tgz"
    response = client.get(tarball.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["X-Checksum-Sha1"] == document["versions"]["1.0.0"]["dist"]["shasum"]


def test_a_version_several_members_have_is_the_first_members(group, npm_publish, client):
    npm_publish("npm-internal", "demo", "1.0.0", description="internal")
    npm_publish("npm-extra", "demo", "1.0.0", description="extra")
    first = packument(client)["versions"]["1.0.0"]["dist"]["integrity"]
    reorder(group, ["npm-extra", "npm-internal"])
    assert packument(client)["versions"]["1.0.0"]["dist"]["integrity"] != first


def test_a_publish_through_the_group_lands_in_its_write_member(group, npm_publish, client):
    npm_publish("npm-all", "demo", "1.0.0")
    assert Asset.objects.get().repository.name == "npm-internal"
    assert list(packument(client)["versions"]) == ["1.0.0"]


def test_a_publish_to_a_member_is_seen_through_the_group_at_once(group, npm_publish, client):
    npm_publish("npm-extra", "demo", "1.0.0")
    assert list(packument(client)["versions"]) == ["1.0.0"]
    npm_publish("npm-extra", "demo", "1.1.0")
    assert list(packument(client)["versions"]) == ["1.0.0", "1.1.0"]
