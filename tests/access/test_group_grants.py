"""Roles granted to a group reach its members, on one repository or on all."""

import pytest
from django.contrib.auth.models import Group

from repository.models import Role
from tests.access.conftest import api, basic, probe


@pytest.fixture
def team(outsider):
    group = Group.objects.create(name="team")
    outsider.groups.add(group)
    return group


def test_it_lets_members_write_where_the_group_deploys(call, outsider, team, grant, private_repo):
    grant(Role.DEPLOYER, group=team, repository=private_repo)
    assert call("PUT", probe(private_repo, "write"), basic(outsider)).status_code == 200
    assert call("GET", api(private_repo), basic(outsider)).status_code == 200


def test_it_gives_nothing_to_people_outside_the_group(
    call, outsider, reader, team, grant, private_repo
):
    grant(Role.DEPLOYER, group=team, repository=private_repo)
    assert call("PUT", probe(private_repo, "write"), basic(reader)).status_code == 403


def test_it_limits_the_group_to_the_granted_repository(
    call, outsider, team, grant, private_repo, other_private_repo
):
    grant(Role.READER, group=team, repository=private_repo)
    assert call("PUT", probe(private_repo, "write"), basic(outsider)).status_code == 403
    assert call("GET", probe(other_private_repo, "read"), basic(outsider)).status_code == 404
    listed = call("GET", "/api/v1/repositories/", basic(outsider)).json()["results"]
    assert [row["name"] for row in listed] == [private_repo.name]


def test_it_applies_a_global_group_grant_to_every_repository(
    call, outsider, team, grant, private_repo, other_private_repo
):
    grant(Role.READER, group=team)
    for repository in [private_repo, other_private_repo]:
        assert call("GET", probe(repository, "read"), basic(outsider)).status_code == 200
    assert call("GET", "/api/v1/repositories/", basic(outsider)).json()["count"] == 2


def test_it_takes_the_grant_away_when_the_member_leaves(call, outsider, team, grant, private_repo):
    grant(Role.READER, group=team, repository=private_repo)
    outsider.groups.remove(team)
    assert call("GET", probe(private_repo, "read"), basic(outsider)).status_code == 404
