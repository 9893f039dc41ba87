"""Grants in the admin: a user or a group, one repository or all, each change audited."""

import pytest
from django.contrib.auth.models import Group

from repository.models import AuditEvent, RepositoryRole, Role

ADD = "/admin/repository/repositoryrole/add/"


@pytest.fixture
def staff(client, admin):
    client.force_login(admin)
    return client


def test_it_grants_a_role_with_an_audit_event(staff, outsider, make_repository):
    repository = make_repository("py", "pypi", private=True)
    fields = {"user": outsider.pk, "repository": repository.pk, "role": "deployer"}
    assert staff.post(ADD, fields).status_code == 302
    assert RepositoryRole.objects.filter(user=outsider, role=Role.DEPLOYER).exists()
    event = AuditEvent.objects.get(action="role.grant")
    assert event.repository_name == "py"


def test_it_grants_a_group_a_role_on_all_repositories(staff, db):
    group = Group.objects.create(name="ops")
    assert staff.post(ADD, {"group": group.pk, "role": "admin"}).status_code == 302
    grant = RepositoryRole.objects.get(group=group)
    assert grant.repository is None


def test_it_refuses_a_grant_to_both_or_neither_subject(staff, outsider):
    group = Group.objects.create(name="ops")
    for fields in [{"role": "reader"}, {"user": outsider.pk, "group": group.pk, "role": "reader"}]:
        assert staff.post(ADD, fields).status_code == 200
    assert not RepositoryRole.objects.exists()


def test_it_revokes_a_grant_with_an_audit_event(staff, outsider):
    grant = RepositoryRole.objects.create(user=outsider, role=Role.READER)
    url = f"/admin/repository/repositoryrole/{grant.pk}/delete/"
    assert staff.post(url, {"post": "yes"}).status_code == 302
    assert not RepositoryRole.objects.exists()
    assert AuditEvent.objects.get(action="role.revoke").target == str(grant)
