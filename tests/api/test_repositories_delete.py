"""DELETE /api/v1/repositories/<name>/: global admins only; tokens limited to it alone die."""

import pytest

from repository.models import ApiToken, AuditEvent, Package, Repository, RepositoryRole, Role


@pytest.fixture
def doomed(make_repository):
    return make_repository("doomed", "pypi", private=True)


URL = "/api/v1/repositories/doomed/"


def test_it_deletes_the_repository_and_its_packages(api, admin, doomed, add_file):
    add_file(doomed, "demo", "1.0", "demo-1.0.tar.gz")
    assert api("DELETE", URL, user=admin).status_code == 204
    assert not Repository.objects.filter(name="doomed").exists()
    assert not Package.objects.exists()
    assert api("GET", URL, user=admin).status_code == 404


def test_it_writes_an_audit_event(api, admin, doomed):
    api("DELETE", URL, user=admin)
    event = AuditEvent.objects.get(action="repository.delete")
    assert (event.actor, event.repository_name) == (admin, "doomed")


def test_it_revokes_tokens_limited_to_this_repository_alone(
    api, admin, reader, doomed, make_repository, make_token
):
    other = make_repository("other", "pypi", private=True)
    make_token(reader, name="only-doomed", repositories=[doomed])
    make_token(reader, name="both", repositories=[doomed, other])
    api("DELETE", URL, user=admin)
    assert ApiToken.objects.get(name="only-doomed").revoked is not None
    both = ApiToken.objects.get(name="both")
    assert both.revoked is None
    assert list(both.repositories.all()) == [other]


def test_it_refuses_a_repository_admin(api, deployer, doomed):
    RepositoryRole.objects.create(user=deployer, repository=doomed, role=Role.ADMIN)
    response = api("DELETE", URL, user=deployer)
    assert response.status_code == 403
    assert Repository.objects.filter(name="doomed").exists()


def test_it_hides_the_repository_from_outsiders_and_asks_anonymous_callers(api, outsider, doomed):
    assert api("DELETE", URL, user=outsider).status_code == 404
    assert api("DELETE", URL).status_code == 401
    assert Repository.objects.filter(name="doomed").exists()
