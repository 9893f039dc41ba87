"""DELETE <path>: 204, 404 when absent; audited; a layout's empty versions and packages go too.

Who may delete follows the repository's delete policy: by default the users with the
delete right (its admins), `deployers` for anyone who may publish, `forbidden` for nobody.
"""

import pytest

from repository.models import Asset, AuditEvent, Package, Repository, TrashEntry, Version
from tests.generic.conftest import DEPLOYER, MAINTAINER, OUTSIDER, READER


@pytest.fixture
def delete(client, maintainer):
    """DELETE a path, as the maintainer unless told otherwise (deletes need that role)."""

    def send(repository, path: str, *, auth: str | None = MAINTAINER):
        headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
        return client.delete(f"/repository/{repository.name}/{path}", **headers)

    return send


def test_it_deletes_a_file_with_204(repo, put, get, delete):
    put(repo, "a/b.bin", b"x")
    response = delete(repo, "a/b.bin")
    assert response.status_code == 204
    assert not Asset.objects.exists()
    assert get(repo, "a/b.bin").status_code == 404


def test_it_records_an_audit_event(repo, put, delete):
    put(repo, "a/b.bin", b"x")
    delete(repo, "a/b.bin")
    event = AuditEvent.objects.get(action="asset.delete")
    assert (event.actor.username, event.repository_name, event.target) == (
        "maintainer",
        "files",
        "a/b.bin",
    )


def test_it_answers_404_for_a_file_that_is_not_there(repo, delete):
    response = delete(repo, "missing.bin")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="asset.delete").exists()


def test_it_lets_a_path_be_uploaded_again_after_deletion(repo, put, delete):
    put(repo, "a.bin", b"one")
    delete(repo, "a.bin")
    assert put(repo, "a.bin", b"two").status_code == 201


def test_it_answers_405_for_a_folder(repo, put, delete):
    put(repo, "a/b.bin", b"x")
    response = delete(repo, "a/")
    assert response.status_code == 405
    assert "DELETE" not in response["Allow"]
    assert Asset.objects.exists()


def test_it_answers_401_to_anonymous_and_403_to_readers_and_outsiders(repo, put, delete, outsider):
    put(repo, "a.bin", b"x")
    assert delete(repo, "a.bin", auth=None).status_code == 401
    assert delete(repo, "a.bin", auth=READER).status_code == 403
    assert delete(repo, "a.bin", auth=OUTSIDER).status_code == 403
    assert Asset.objects.exists()


def test_it_removes_a_version_with_its_last_file_and_a_package_with_its_last_version(
    layout_repo, put, delete
):
    put(layout_repo, "tool/1.0/tool.tgz", b"1.0 tgz")
    put(layout_repo, "tool/1.0/tool.zip", b"1.0 zip")
    put(layout_repo, "tool/2.0/tool.tgz", b"2.0 tgz")

    delete(layout_repo, "tool/1.0/tool.tgz")
    assert Version.objects.filter(version="1.0").exists()
    delete(layout_repo, "tool/1.0/tool.zip")
    assert list(Version.objects.values_list("version", flat=True)) == ["2.0"]
    delete(layout_repo, "tool/2.0/tool.tgz")
    assert not Package.objects.exists()


def test_it_invalidates_the_package_when_a_file_goes(layout_repo, put, delete):
    put(layout_repo, "tool/1.0/a.tgz", b"a")
    put(layout_repo, "tool/1.0/b.tgz", b"b")
    before = Package.objects.get().generation
    delete(layout_repo, "tool/1.0/a.tgz")
    assert Package.objects.get().generation > before


def test_it_refuses_deployers_by_default_saying_who_may(repo, put, delete):
    put(repo, "a.bin", b"x")
    response = delete(repo, "a.bin", auth=DEPLOYER)
    assert response.status_code == 403
    assert response.content.decode() == (
        "403 deleting in repository files needs the delete right "
        "(the repository's maintainers and admins have it)\n"
    )
    assert Asset.objects.exists()


def test_it_lets_deployers_delete_where_the_policy_says_deployers(repo, put, delete):
    Repository.objects.filter(pk=repo.pk).update(delete_policy="deployers")
    put(repo, "a.bin", b"x")
    assert delete(repo, "a.bin", auth=DEPLOYER).status_code == 204
    assert not Asset.objects.exists()


def test_it_refuses_everyone_where_deletions_are_forbidden(repo, put, delete):
    Repository.objects.filter(pk=repo.pk).update(delete_policy="forbidden")
    put(repo, "a.bin", b"x")
    response = delete(repo, "a.bin")
    assert response.status_code == 403
    assert "forbids deletions" in response.content.decode()
    assert Asset.objects.exists()


def test_it_puts_the_deleted_file_in_the_trash(repo, put, delete):
    put(repo, "a/b.bin", b"x")
    delete(repo, "a/b.bin")
    entry = TrashEntry.objects.get()
    assert (entry.kind, entry.path, entry.size, entry.reason) == ("file", "a/b.bin", 1, "DELETE")
