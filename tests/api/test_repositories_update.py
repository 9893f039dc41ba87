"""PATCH /api/v1/repositories/<name>/: the repository's admins change it; name, format and
kind are fixed."""

import pytest

from repository.models import AuditEvent, Repository, RepositoryRole, Role


@pytest.fixture
def files(make_repository, outsider):
    repository = make_repository("files", "generic", private=True)
    RepositoryRole.objects.create(user=outsider, repository=repository, role=Role.ADMIN)
    return repository


URL = "/api/v1/repositories/files/"


def test_it_lets_the_repository_admin_change_it(api, outsider, files):
    body = {
        "description": "Release builds",
        "private": False,
        "redeploy_policy": "allowed",
        "delete_policy": "deployers",
        "quota_bytes": 10_000,
        "settings": {"layout": "name/version/file"},
    }
    response = api("PATCH", URL, user=outsider, body=body)
    assert response.status_code == 200
    assert response.json()["description"] == "Release builds"
    files.refresh_from_db()
    assert files.anonymous_read is True
    assert (files.redeploy_policy, files.delete_policy) == ("allowed", "deployers")
    assert files.quota_bytes == 10_000
    assert files.settings == {"layout": "name/version/file"}


def test_it_writes_an_audit_event_naming_the_changed_fields(api, outsider, files):
    api("PATCH", URL, user=outsider, body={"description": "x", "redeploy_policy": "forbidden"})
    event = AuditEvent.objects.get(action="repository.update")
    assert event.actor == outsider
    assert event.details == {"fields": ["description"]}


def test_it_clears_the_quota_with_null(api, admin, files):
    files.quota_bytes = 5
    files.save()
    assert api("PATCH", URL, user=admin, body={"quota_bytes": None}).json()["quota_bytes"] is None


def test_it_refuses_deployers_and_readers(api, deployer, reader, files):
    for user in [deployer, reader]:
        response = api("PATCH", URL, user=user, body={"description": "x"})
        assert response.status_code == 403
        assert "admin role" in response.json()["detail"]
    assert Repository.objects.get(name="files").description == ""


def test_it_hides_the_repository_from_outsiders_and_asks_anonymous_callers(api, make_user, files):
    stranger = make_user("stranger")
    assert api("PATCH", URL, user=stranger, body={"description": "x"}).status_code == 404
    assert api("PATCH", URL, body={"description": "x"}).status_code == 401


def test_it_refuses_to_rename_or_change_format_or_kind(api, admin, files):
    for change in [{"name": "other"}, {"format": "pypi"}, {"kind": "proxy"}]:
        response = api("PATCH", URL, user=admin, body=change)
        assert response.status_code == 400, change
        assert "cannot be changed" in str(response.json())
    same = {"name": "files", "format": "generic", "description": "kept"}
    assert api("PATCH", URL, user=admin, body=same).status_code == 200


def test_it_validates_settings_with_the_format(api, admin, files):
    response = api("PATCH", URL, user=admin, body={"settings": {"layout": "deep"}})
    assert response.status_code == 400
    assert "layout must be one of" in response.json()["detail"]
    assert Repository.objects.get(name="files").settings == {}


def test_it_writes_nothing_when_nothing_changes(api, admin, files):
    api("PATCH", URL, user=admin, body={"description": ""})
    assert not AuditEvent.objects.exists()
