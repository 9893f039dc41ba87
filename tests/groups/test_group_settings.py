"""Setting a group up: members in order, a write member, claims; mistakes refused with reasons."""

import pytest

from repository.models import Repository
from repository.services.repositories import create_repository, delete_repository


@pytest.fixture
def members(make_repository):
    make_repository("hosted-a", "pypi")
    make_repository("hosted-b", "pypi")
    make_repository("mirror", "pypi", kind="proxy")
    make_repository("npm-one", "npm")


def test_the_cli_creates_a_group_with_members_a_write_member_and_claims(members, larder):
    result = larder(
        "repo", "create", "all", "--format", "pypi", "--kind", "group",
        "--member", "hosted-a", "--member", "mirror", "--write-to", "hosted-a",
        "--claim", "corp-*",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    settings = Repository.objects.get(name="all").settings
    assert settings["members"] == ["hosted-a", "mirror"]
    assert (settings["write_to"], settings["claims"], settings["shield"]) == (
        "hosted-a",
        ["corp-*"],
        True,
    )


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({}, "settings.members"),
        ({"members": []}, "at least one member"),
        ({"members": ["nowhere"]}, "no repository named 'nowhere'"),
        ({"members": ["npm-one"]}, "member npm-one is a npm repository, not pypi"),
        ({"members": ["hosted-a", "hosted-a"]}, "only once"),
        ({"members": ["hosted-a"], "write_to": "mirror"}, "write_to must name a hosted member"),
        ({"members": ["mirror"], "write_to": "mirror"}, "write_to must name a hosted member"),
        ({"members": ["hosted-a"], "shield": "yes"}, "shield must be true or false"),
        ({"members": ["hosted-a"], "claims": "corp-*"}, "claims must be a list"),
    ],
)
def test_it_refuses_settings_that_cannot_work(members, given, reason):
    with pytest.raises(ValueError, match=reason):
        create_repository("all", "pypi", kind="group", settings=given)
    assert not Repository.objects.filter(name="all").exists()


def test_a_group_cannot_contain_a_group(members, make_group):
    make_group("inner", "pypi", ["hosted-a"])
    with pytest.raises(ValueError, match="member inner is a group"):
        create_repository("outer", "pypi", kind="group", settings={"members": ["inner"]})


def test_a_member_is_not_deleted_while_a_group_lists_it(members, make_group):
    make_group("all", "pypi", ["hosted-a", "hosted-b"])
    with pytest.raises(ValueError, match="member of all"):
        delete_repository(Repository.objects.get(name="hosted-b"))
    assert Repository.objects.filter(name="hosted-b").exists()


def test_the_api_creates_a_group_and_refuses_a_bad_one(members, api, admin):
    good = {"name": "all", "format": "pypi", "kind": "group",
            "settings": {"members": ["hosted-b", "hosted-a"], "write_to": "hosted-b"}}  # fmt: skip
    response = api("POST", "/api/v1/repositories/", user=admin, body=good)
    assert response.status_code == 201, response.content
    assert response.json()["settings"]["members"] == ["hosted-b", "hosted-a"]
    bad = {**good, "name": "bad", "settings": {"members": ["npm-one"]}}
    response = api("POST", "/api/v1/repositories/", user=admin, body=bad)
    assert response.status_code == 400
    assert "not pypi" in str(response.json())
