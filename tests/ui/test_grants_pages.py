"""Grants in the UI: a repository's admins manage its grants (and nothing else); superusers
manage grants on all repositories. Audited, CSRF-protected."""

import pytest
from django.contrib.auth.models import Group

from repository.models import AuditEvent, RepositoryRole, Role
from tests.ui.conftest import csrf_client, post


@pytest.fixture
def repo(make_repository):
    return make_repository("team", "generic", private=True)


@pytest.fixture
def repo_admin(make_user, repo):
    user = make_user("owner")
    RepositoryRole.objects.create(user=user, repository=repo, role=Role.ADMIN)
    return user


GRANTS = "/ui/repositories/team/grants/"


def test_a_repository_admin_lists_adds_and_removes_grants(repo_admin, repo, outsider):
    client = csrf_client(repo_admin)
    page = client.get(GRANTS).content.decode()
    assert "deployer" in page and "reader" in page
    response = post(
        client,
        GRANTS,
        {"subject_type": "user", "subject": "outsider", "role": "maintainer"},
        GRANTS,
    )
    assert response.status_code == 302
    grant = RepositoryRole.objects.get(user=outsider)
    assert (grant.repository, grant.role) == (repo, Role.MAINTAINER)
    assert AuditEvent.objects.filter(action="role.grant", repository_name="team").exists()
    removed = post(client, f"{GRANTS}{grant.pk}/remove/", {}, GRANTS)
    assert removed.status_code == 302
    assert not RepositoryRole.objects.filter(user=outsider).exists()
    assert AuditEvent.objects.filter(action="role.revoke", repository_name="team").exists()


def test_it_grants_to_groups_and_says_what_is_wrong(repo_admin, repo):
    Group.objects.create(name="qa")
    client = csrf_client(repo_admin)
    post(client, GRANTS, {"subject_type": "group", "subject": "qa", "role": "reader"}, GRANTS)
    assert RepositoryRole.objects.filter(group__name="qa", repository=repo).exists()
    bad = post(
        client, GRANTS, {"subject_type": "user", "subject": "nobody", "role": "reader"}, GRANTS
    )
    assert bad.status_code == 400
    assert "no user named nobody" in bad.content.decode()


def test_a_repository_admin_manages_nothing_else(repo_admin, make_repository):
    make_repository("elsewhere", "generic")
    client = csrf_client(repo_admin)
    assert client.get("/ui/repositories/elsewhere/grants/").status_code == 403
    assert client.get("/ui/grants/").status_code == 403
    assert client.get("/ui/users/").status_code == 403
    assert client.get("/ui/groups/").status_code == 403


def test_readers_and_deployers_may_not_manage_grants(deployer, outsider, repo):
    assert csrf_client(deployer).get(GRANTS).status_code == 403
    assert csrf_client(outsider).get(GRANTS).status_code == 404


def test_a_superuser_manages_global_grants(admin, reader):
    client = csrf_client(admin)
    response = post(
        client,
        "/ui/grants/",
        {"subject_type": "user", "subject": "reader", "role": "reader"},
        "/ui/grants/",
    )
    assert response.status_code == 302
    grant = RepositoryRole.objects.get(user=reader, repository__isnull=True)
    assert "reader" in client.get("/ui/grants/").content.decode()
    post(client, f"/ui/grants/{grant.pk}/remove/", {}, "/ui/grants/")
    assert not RepositoryRole.objects.filter(pk=grant.pk).exists()


def test_grant_forms_need_the_csrf_token(repo_admin, repo, outsider):
    client = csrf_client(repo_admin)
    response = client.post(GRANTS, {"subject_type": "user", "subject": "outsider", "role": "admin"})
    assert response.status_code == 403
    assert not RepositoryRole.objects.filter(user=outsider).exists()
