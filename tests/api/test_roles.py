"""/api/v1/repositories/<name>/roles/: a repository's admins grant and revoke roles on it."""

import pytest
from django.contrib.auth.models import Group

from repository.models import AuditEvent, RepositoryRole, Role


@pytest.fixture
def py(make_repository, outsider):
    repository = make_repository("py", "pypi", private=True)
    RepositoryRole.objects.create(user=outsider, repository=repository, role=Role.ADMIN)
    return repository


URL = "/api/v1/repositories/py/roles/"


def test_it_lists_the_grants_on_the_repository(api, outsider, py):
    body = api("GET", URL, user=outsider).json()
    granted = {(row["user"], row["role"]) for row in body["results"]}
    assert granted == {("outsider", "admin"), ("deployer", "deployer"), ("reader", "reader")}


def test_it_grants_a_role_to_a_user_and_the_user_can_use_it(api, outsider, make_user, py):
    newcomer = make_user("newcomer")
    response = api("POST", URL, user=outsider, body={"user": "newcomer", "role": "reader"})
    assert response.status_code == 201
    assert response.json()["user"] == "newcomer"
    assert api("GET", "/api/v1/repositories/py/", user=newcomer).status_code == 200
    assert AuditEvent.objects.get(action="role.grant").actor == outsider


def test_it_grants_a_role_to_a_group(api, outsider, py):
    Group.objects.create(name="ops")
    response = api("POST", URL, user=outsider, body={"group": "ops", "role": "deployer"})
    assert response.status_code == 201
    assert RepositoryRole.objects.get(group__name="ops").repository == py


def test_it_answers_200_when_the_grant_exists_already(api, outsider, py):
    body = {"user": "reader", "role": "reader"}
    assert api("POST", URL, user=outsider, body=body).status_code == 200
    assert RepositoryRole.objects.filter(user__username="reader").count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"user": "ghost", "role": "reader"}, "no user named ghost"),
        ({"group": "ghosts", "role": "reader"}, "no group named ghosts"),
        ({"role": "reader"}, "name either a user or a group"),
        ({"user": "reader", "group": "ops", "role": "reader"}, "name either a user or a group"),
    ],
)
def test_it_refuses_bad_grants(api, outsider, py, body, message):
    response = api("POST", URL, user=outsider, body=body)
    assert response.status_code == 400
    assert response.json()["detail"] == message


def test_it_refuses_unknown_roles(api, outsider, py):
    response = api("POST", URL, user=outsider, body={"user": "reader", "role": "owner"})
    assert response.status_code == 400
    assert "role" in response.json()


def test_it_revokes_a_grant(api, outsider, reader, py):
    grant = RepositoryRole.objects.get(user=reader)
    assert api("DELETE", f"{URL}{grant.pk}/", user=outsider).status_code == 204
    assert api("GET", "/api/v1/repositories/py/", user=reader).status_code == 404
    assert AuditEvent.objects.get(action="role.revoke").repository_name == "py"
    assert api("DELETE", f"{URL}{grant.pk}/", user=outsider).status_code == 404


def test_it_never_touches_grants_on_other_repositories(api, outsider, reader, py, make_repository):
    make_repository("other", "pypi")
    grant = RepositoryRole.objects.get(user=reader, repository__name="other")
    assert api("DELETE", f"{URL}{grant.pk}/", user=outsider).status_code == 404


def test_it_is_for_the_repositorys_admins_only(api, deployer, make_user, py):
    assert api("GET", URL, user=deployer).status_code == 403
    body = {"user": "deployer", "role": "admin"}
    assert api("POST", URL, user=deployer, body=body).status_code == 403
    assert api("GET", URL, user=make_user("stranger")).status_code == 404
    assert api("GET", URL).status_code == 401


def test_it_asks_anonymous_callers_to_authenticate_on_public_repositories(api, make_repository):
    make_repository("open", "pypi")
    response = api("GET", "/api/v1/repositories/open/roles/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Larder"'


def test_it_refuses_put(api, outsider, py):
    assert api("PUT", URL, user=outsider, body={}).status_code == 405
