"""Deleting versions and files through the API, in any format (the one way to delete a PyPI
file): under the repository's delete policy, into its trash; and pinning versions."""

import pytest

from repository.models import Asset, AuditEvent, Repository, TrashEntry, Version, VersionPin

VERSION = "/api/v1/repositories/py/packages/alpha/versions/1.0/"
FILE = "/api/v1/repositories/py/assets/files/alpha/1.0/alpha-1.0.tgz"


@pytest.fixture
def py(make_repository, publish):
    repository = make_repository("py", "pypi")
    publish(repository, "alpha", "1.0")
    publish(repository, "alpha", "2.0")
    return repository


def test_an_admin_deletes_a_version_into_the_trash(api, admin, py):
    assert api("DELETE", VERSION, user=admin).status_code == 204
    assert not Version.objects.filter(version="1.0").exists()
    assert TrashEntry.objects.get().version == "1.0"
    assert AuditEvent.objects.get(action="version.delete").target == "alpha 1.0"


def test_an_admin_deletes_a_file(api, admin, py, client):
    assert api("DELETE", FILE, user=admin).status_code == 204
    assert not Asset.objects.filter(path="files/alpha/1.0/alpha-1.0.tgz").exists()
    assert client.get("/repository/py/files/alpha/1.0/alpha-1.0.tgz").status_code == 404


def test_deployers_are_refused_by_default_and_allowed_by_the_deployers_policy(api, deployer, py):
    refused = api("DELETE", VERSION, user=deployer)
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "deleting in repository py needs the delete right "
        "(the repository's maintainers and admins have it)"
    )
    Repository.objects.filter(pk=py.pk).update(delete_policy="deployers")
    assert api("DELETE", VERSION, user=deployer).status_code == 204


def test_nobody_deletes_where_deletions_are_forbidden(api, admin, py):
    Repository.objects.filter(pk=py.pk).update(delete_policy="forbidden")
    refused = api("DELETE", FILE, user=admin)
    assert refused.status_code == 403
    assert "forbids deletions" in refused.json()["detail"]
    assert Asset.objects.count() == 2


def test_readers_and_anonymous_callers_cannot_delete(api, reader, py):
    assert api("DELETE", VERSION).status_code == 401
    assert api("DELETE", VERSION, user=reader).status_code == 403
    assert api("DELETE", VERSION.replace("1.0", "9.9"), user=reader).status_code == 404


def test_an_admin_pins_and_unpins_a_version(api, admin, deployer, py):
    pin = VERSION + "pin/"
    response = api("PUT", pin, user=admin, body={"reason": "customers run it"})
    assert response.status_code == 200
    assert VersionPin.objects.get().reason == "customers run it"
    assert api("GET", VERSION, user=admin).json()["pinned"] is True
    assert api("PUT", pin, user=deployer, body={}).status_code == 403
    assert api("DELETE", pin, user=admin).status_code == 204
    assert not VersionPin.objects.exists()
    assert [e.action for e in AuditEvent.objects.order_by("pk")] == ["version.pin", "version.unpin"]
