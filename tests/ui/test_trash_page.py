"""A repository's trash page: its admins browse, restore (or read why not) and purge."""

import pytest

from repository.models import RepositoryRole, Role, TrashEntry, Version
from repository.retention.trash import trash_version
from tests.ui.conftest import client_for, table_rows


@pytest.fixture
def trashed(make_repository, publish):
    py = make_repository("py", "pypi")
    publish(py, "alpha", "2.0")
    return trash_version(publish(py, "alpha", "1.0", content=b"abc"), reason="npm unpublish")


def test_it_lists_what_is_in_the_trash(admin, trashed):
    (row,) = table_rows(client_for(admin).get("/ui/repositories/py/trash/"))
    assert row[:2] == ["alpha 1.0 1 file", "npm unpublish"]
    assert row[4] == "3 bytes"


def test_it_restores_an_entry(admin, trashed):
    client = client_for(admin)
    response = client.post(f"/ui/repositories/py/trash/{trashed.pk}/restore/", follow=True)
    assert "Restored alpha 1.0." in response.content.decode()
    assert Version.objects.filter(version="1.0").exists()


def test_it_says_why_an_entry_cannot_be_restored(admin, trashed, publish):
    publish(trashed.repository, "alpha", "1.0", content=b"new")
    response = client_for(admin).post(
        f"/ui/repositories/py/trash/{trashed.pk}/restore/", follow=True
    )
    assert "was published again after it was deleted" in response.content.decode()
    assert TrashEntry.objects.exists()


def test_it_purges_an_entry(admin, trashed):
    client_for(admin).post(f"/ui/repositories/py/trash/{trashed.pk}/purge/")
    assert not TrashEntry.objects.exists()


def test_a_repository_admin_manages_its_trash_and_others_get_404(make_user, deployer, trashed):
    owner = make_user("owner")
    RepositoryRole.objects.create(user=owner, repository=trashed.repository, role=Role.ADMIN)
    assert client_for(owner).get("/ui/repositories/py/trash/").status_code == 200
    for client in (client_for(deployer), client_for()):
        assert client.get("/ui/repositories/py/trash/").status_code == 404
        assert client.post(f"/ui/repositories/py/trash/{trashed.pk}/purge/").status_code == 404
    assert TrashEntry.objects.exists()


def test_the_repository_page_links_admins_to_the_trash(admin, deployer, trashed):
    assert b"/ui/repositories/py/trash/" in client_for(admin).get("/ui/repositories/py/").content
    page = client_for(deployer).get("/ui/repositories/py/").content
    assert b"/ui/repositories/py/trash/" not in page
