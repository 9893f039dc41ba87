"""A repository's trash in the API: its admins list, restore (or hear why not) and purge."""

import pytest

from repository.models import AuditEvent, TrashEntry, Version
from repository.retention.trash import trash_version


@pytest.fixture
def trashed(make_repository, publish):
    py = make_repository("py", "pypi")
    publish(py, "alpha", "2.0")
    return trash_version(publish(py, "alpha", "1.0", content=b"abc"), reason="DELETE")


URL = "/api/v1/repositories/py/trash/"


def test_it_lists_the_trash(api, admin, trashed):
    rows = api("GET", URL, user=admin).json()["results"]
    assert [(r["kind"], r["package"], r["version"], r["size"], r["files"]) for r in rows] == [
        ("version", "alpha", "1.0", 3, ["files/alpha/1.0/alpha-1.0.tgz"])
    ]


def test_it_restores_an_entry(api, admin, trashed):
    response = api("POST", f"{URL}{trashed.pk}/restore/", user=admin)
    assert response.status_code == 200
    assert Version.objects.filter(version="1.0").exists()
    assert not TrashEntry.objects.exists()
    assert AuditEvent.objects.get(action="trash.restore").target == "alpha 1.0"


def test_it_says_why_an_entry_cannot_come_back(api, admin, trashed, publish):
    publish(trashed.repository, "alpha", "1.0", content=b"rebuilt")
    response = api("POST", f"{URL}{trashed.pk}/restore/", user=admin)
    assert response.status_code == 400
    assert "was published again after it was deleted" in response.json()["detail"]


def test_it_purges_an_entry_now(api, admin, trashed):
    assert api("DELETE", f"{URL}{trashed.pk}/", user=admin).status_code == 204
    assert not TrashEntry.objects.exists()
    assert AuditEvent.objects.filter(action="trash.purge").exists()


def test_it_is_for_the_repositorys_admins(api, deployer, trashed):
    assert api("GET", URL).status_code == 401
    assert api("GET", URL, user=deployer).status_code == 403
    assert api("GET", f"{URL}999/", user=deployer).status_code == 403


def test_it_answers_404_and_405(api, admin, trashed):
    assert api("POST", f"{URL}999/restore/", user=admin).status_code == 404
    assert api("PUT", f"{URL}{trashed.pk}/", user=admin, body={}).status_code == 405
