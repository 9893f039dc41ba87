"""POST /api/v1/repositories/: global admins only; validated by the service and the format."""

import pytest

from repository.models import AuditEvent, Repository, RepositoryRole, Role

URL = "/api/v1/repositories/"


def test_it_creates_a_repository(api, admin):
    body = {
        "name": "team-files",
        "format": "generic",
        "kind": "hosted",
        "description": "Build outputs",
        "private": True,
        "redeploy_policy": "allowed",
        "delete_policy": "forbidden",
        "trash_days": 30,
        "quota_bytes": 1024,
        "soft_quota_bytes": 800,
        "settings": {"layout": "name/version/file"},
    }
    response = api("POST", URL, user=admin, body=body)
    assert response.status_code == 201
    assert response["Location"] == "http://testserver/api/v1/repositories/team-files/"
    repository = Repository.objects.get(name="team-files")
    assert (repository.format, repository.kind, repository.anonymous_read) == (
        "generic",
        "hosted",
        False,
    )
    assert (repository.redeploy_policy, repository.delete_policy) == ("allowed", "forbidden")
    assert (repository.trash_days, repository.quota_bytes) == (30, 1024)
    assert repository.soft_quota_bytes == 800
    assert repository.settings == {"layout": "name/version/file"}
    assert response.json()["private"] is True


def test_it_defaults_to_a_public_hosted_repository_without_redeploys_deleting_into_a_trash(
    api, admin
):
    body = api("POST", URL, user=admin, body={"name": "py", "format": "pypi"}).json()
    assert (body["kind"], body["private"]) == ("hosted", False)
    assert (body["redeploy_policy"], body["delete_policy"], body["trash_days"]) == (
        "forbidden",
        "allowed",
        7,
    )


def test_it_accepts_anonymous_read_instead_of_private(api, admin):
    body = {"name": "py", "format": "pypi", "anonymous_read": False}
    assert api("POST", URL, user=admin, body=body).json()["private"] is True


def test_it_writes_an_audit_event(api, admin):
    api("POST", URL, user=admin, body={"name": "py", "format": "pypi"})
    event = AuditEvent.objects.get(action="repository.create")
    assert (event.actor, event.repository_name, event.details["format"]) == (admin, "py", "pypi")
    assert event.remote_addr == "127.0.0.1"


def test_it_lets_a_global_admin_grant_create(api, outsider):
    RepositoryRole.objects.create(user=outsider, role=Role.ADMIN)
    assert api("POST", URL, user=outsider, body={"name": "py", "format": "pypi"}).status_code == 201


def test_it_asks_anonymous_callers_to_authenticate(api, db):
    response = api("POST", URL, body={"name": "py", "format": "pypi"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Larder"'


def test_it_forbids_everyone_else(api, deployer, make_repository):
    repository = make_repository("theirs", "pypi")
    RepositoryRole.objects.create(user=deployer, repository=repository, role=Role.ADMIN)
    response = api("POST", URL, user=deployer, body={"name": "py", "format": "pypi"})
    assert response.status_code == 403
    assert not Repository.objects.filter(name="py").exists()


def test_it_says_that_write_policy_was_split(api, admin):
    body = {"name": "x", "format": "pypi", "write_policy": "immutable"}
    response = api("POST", URL, user=admin, body=body)
    assert response.status_code == 400
    assert "write_policy was split in two: redeploy_policy" in str(response.json())


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"name": "x", "format": "pypi", "kind": "proxy"},
            "a proxy repository needs settings.proxy, with its upstream URL",
        ),
        (
            {"name": "x", "format": "npm", "kind": "group"},
            "a group needs settings.members",
        ),
        ({"name": "x", "format": "pypi", "kind": "mirror"}, "unknown kind 'mirror'"),
        ({"name": "x", "format": "maven"}, "unknown format 'maven'"),
        ({"name": "-x", "format": "pypi"}, "invalid repository name"),
        ({"name": "a/b", "format": "pypi"}, "invalid repository name"),
        (
            {"name": "x", "format": "generic", "settings": {"layout": "deep"}},
            "layout must be one of",
        ),
        ({"name": "x", "format": "pypi", "settings": ["not", "a", "dict"]}, "settings must be"),
        ({"name": "x", "format": "pypi", "redeploy_policy": "x"}, "redeploy_policy must be"),
        ({"name": "x", "format": "pypi", "delete_policy": "x"}, "delete_policy must be"),
        ({"name": "x", "format": "pypi", "trash_days": -1}, "trash_days must be"),
        (
            {"name": "x", "format": "pypi", "quota_bytes": 10, "soft_quota_bytes": 10},
            "soft_quota_bytes must be below",
        ),
        ({"name": "x", "format": "pypi", "quota_bytes": 0}, "quota_bytes must be"),
    ],
)
def test_it_refuses_invalid_repositories_saying_why(api, admin, body, message):
    response = api("POST", URL, user=admin, body=body)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Repository.objects.exists()
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_name_already_taken_in_any_case(api, admin, make_repository):
    make_repository("Tools", "pypi")
    response = api("POST", URL, user=admin, body={"name": "tools", "format": "npm"})
    assert response.status_code == 400
    assert response.json()["detail"] == "a repository named 'Tools' already exists"


def test_it_refuses_unknown_and_contradictory_fields(api, admin):
    body = {"name": "x", "format": "pypi", "upstream": "https://example.test/"}
    assert "unknown field(s): upstream" in str(api("POST", URL, user=admin, body=body).json())
    body = {"name": "x", "format": "pypi", "private": True, "anonymous_read": True}
    assert "contradict" in str(api("POST", URL, user=admin, body=body).json())
    assert api("POST", URL, user=admin, body={"format": "pypi"}).json()["name"]
    assert not Repository.objects.exists()


def test_it_accepts_json_only(api, admin, client):
    from tests.conftest import PASSWORD, basic_auth

    response = client.post(
        URL, {"name": "x", "format": "pypi"}, HTTP_AUTHORIZATION=basic_auth("admin", PASSWORD)
    )
    assert response.status_code == 415
