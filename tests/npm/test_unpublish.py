"""npm unpublish: couch-style document PUT/DELETE, under the repository's delete policy."""

import pytest

from repository.models import Asset, AuditEvent, Package, Repository, Version
from tests.npm.conftest import REPO


@pytest.fixture
def redeployable(npm_repository):
    """Deployers may delete here (what allow-redeploy repositories allowed before the split)."""
    Repository.objects.filter(pk=npm_repository.pk).update(delete_policy="deployers")


@pytest.fixture
def published(publish):
    publish("demo", "1.9.0")
    publish("demo", "1.10.0")
    publish("demo", "2.0.0-rc.1", tags={"next": "2.0.0-rc.1"})


def _unpublish_version(client, put_json, auth, version):
    """What libnpmpublish's unpublish sends for `npm unpublish demo@<version>`."""
    document = client.get(f"{REPO}/demo?write=true").json()
    tarball = document["versions"].pop(version)["dist"]["tarball"]
    put = put_json(f"/demo/-rev/{document['_rev']}", document, **auth)
    rev = client.get(f"{REPO}/demo?write=true").json()["_rev"]
    path = tarball.split("/repository/npm-hosted", 1)[1]
    delete = client.delete(f"{REPO}{path}/-rev/{rev}", **auth)
    return put, delete


def test_it_unpublishes_one_version(client, redeployable, published, put_json, maintainer_auth):
    put, delete = _unpublish_version(client, put_json, maintainer_auth, "1.10.0")
    assert put.status_code == 201
    assert delete.status_code == 404  # npm treats this as "already gone"
    document = client.get(f"{REPO}/demo").json()
    assert list(document["versions"]) == ["1.9.0", "2.0.0-rc.1"]
    assert document["dist-tags"] == {"latest": "1.9.0", "next": "2.0.0-rc.1"}
    assert "1.10.0" not in document["time"]
    assert client.get(f"{REPO}/demo/-/demo-1.10.0.tgz").status_code == 404
    assert AuditEvent.objects.get(action="npm.unpublish").details == {"versions": ["1.10.0"]}


def test_it_deletes_a_tarball_and_its_version(
    client, redeployable, published, put_json, maintainer_auth
):
    rev = client.get(f"{REPO}/demo?write=true").json()["_rev"]
    response = client.delete(f"{REPO}/demo/-/demo-1.9.0.tgz/-rev/{rev}", **maintainer_auth)
    assert response.status_code == 200
    assert not Version.objects.filter(version="1.9.0").exists()
    assert Asset.objects.count() == 2


def test_it_unpublishes_a_whole_package(client, redeployable, published, maintainer_auth):
    rev = client.get(f"{REPO}/demo?write=true").json()["_rev"]
    response = client.delete(f"{REPO}/demo/-rev/{rev}", **maintainer_auth)
    assert response.status_code == 200
    assert not Package.objects.exists()
    assert not Asset.objects.exists()
    assert client.get(f"{REPO}/demo").status_code == 404


def test_it_allows_republishing_after_unpublish(client, redeployable, publish, maintainer_auth):
    publish("demo", "1.0.0")
    rev = client.get(f"{REPO}/demo?write=true").json()["_rev"]
    client.delete(f"{REPO}/demo/-rev/{rev}", **maintainer_auth)
    assert publish("demo", "1.0.0").status_code == 201


def test_it_refuses_unpublish_where_deletions_are_forbidden(
    client, npm_repository, published, put_json, maintainer_auth
):
    Repository.objects.filter(pk=npm_repository.pk).update(delete_policy="forbidden")
    put, _ = _unpublish_version(client, put_json, maintainer_auth, "1.10.0")
    assert put.status_code == 403
    assert "forbids deletions" in put.json()["error"]
    rev = client.get(f"{REPO}/demo?write=true").json()["_rev"]
    whole = client.delete(f"{REPO}/demo/-rev/{rev}", **maintainer_auth)
    assert whole.status_code == 403
    tarball = client.delete(f"{REPO}/demo/-/demo-1.9.0.tgz/-rev/{rev}", **maintainer_auth)
    assert tarball.status_code == 403
    assert Version.objects.count() == 3


def test_it_refuses_a_stale_revision(client, redeployable, published, maintainer_auth):
    response = client.delete(f"{REPO}/demo/-rev/1-stale", **maintainer_auth)
    assert response.status_code == 409
    assert Package.objects.exists()


def test_it_refuses_a_document_without_versions(
    client, redeployable, published, put_json, maintainer_auth
):
    rev = client.get(f"{REPO}/demo?write=true").json()["_rev"]
    response = put_json(f"/demo/-rev/{rev}", {"name": "demo"}, **maintainer_auth)
    assert response.status_code == 400
    assert Version.objects.count() == 3


def test_it_forbids_readers_and_asks_anonymous_callers(
    client, redeployable, published, reader_auth
):
    rev = client.get(f"{REPO}/demo?write=true").json()["_rev"]
    assert client.delete(f"{REPO}/demo/-rev/{rev}", **reader_auth).status_code == 403
    assert client.delete(f"{REPO}/demo/-rev/{rev}").status_code == 401


def test_it_answers_404_and_405(client, redeployable, published, maintainer_auth):
    assert client.delete(f"{REPO}/nothing/-rev/1-x", **maintainer_auth).status_code == 404
    assert client.get(f"{REPO}/demo/-rev/1-x", **maintainer_auth).status_code == 405
