"""LDAP against a real slapd: sign-in to the UI and HTTP Basic with directory passwords,
users made at first sign-in, directory groups mirrored to Larder groups (and so to grants),
the required group, the superuser group, and a user the directory drops refused at once
(passwords) or at the next recheck (tokens)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from repository.models import ExternalIdentity, RepositoryRole, Role
from tests.access.conftest import probe, token_basic
from tests.conftest import basic_auth
from tests.ldap.directory import password_of


def _basic(user: str) -> str:
    return basic_auth(user, password_of(user))


def test_a_directory_user_signs_in_to_the_ui_and_is_made_on_first_sign_in(ldap_settings):
    client = Client()
    response = client.post("/login/", {"username": "bob", "password": password_of("bob")})
    assert response.status_code == 302
    bob = get_user_model().objects.get(username="bob")
    assert (bob.email, bob.first_name, bob.last_name) == ("bob@larder.test", "Bob", "Builder")
    assert not bob.has_usable_password()
    assert ExternalIdentity.objects.get(user=bob).source == "ldap"
    assert "Signed in as <strong>bob</strong>" in client.get("/").content.decode()


def test_a_wrong_directory_password_is_refused(ldap_settings):
    response = Client().post("/login/", {"username": "bob", "password": "wrong"})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_directory_groups_become_larder_groups_and_carry_grants(
    ldap_settings, call, make_repository
):
    repo = make_repository("team", "probe", private=True)
    RepositoryRole.objects.create(
        group=Group.objects.create(name="developers"), repository=repo, role=Role.DEPLOYER
    )
    assert call("PUT", probe(repo, "write"), _basic("alice")).status_code == 200
    alice = get_user_model().objects.get(username="alice")
    assert sorted(alice.groups.values_list("name", flat=True)) == [
        "developers",
        "larder-admins",
        "larder-users",
    ]
    assert call("PUT", probe(repo, "write"), _basic("bob")).status_code == 404


def test_the_superuser_group_makes_superusers(ldap_settings):
    Client().post("/login/", {"username": "alice", "password": password_of("alice")})
    Client().post("/login/", {"username": "bob", "password": password_of("bob")})
    users = get_user_model().objects
    assert users.get(username="alice").is_superuser
    assert not users.get(username="bob").is_superuser


def test_users_outside_the_required_group_cannot_sign_in(ldap_settings, call, make_repository):
    repo = make_repository("open", "probe")
    assert call("GET", probe(repo, "read"), _basic("carol")).status_code == 401
    assert not get_user_model().objects.filter(username="carol").exists()


def test_a_user_the_directory_drops_is_refused_and_their_tokens_stop(
    ldap_settings, call, make_repository, make_token, restore_membership
):
    repo = make_repository("open", "probe")
    assert call("GET", probe(repo, "read"), _basic("bob")).status_code == 200
    bob = get_user_model().objects.get(username="bob")
    token = make_token(bob)
    assert call("GET", probe(repo, "read"), token_basic(token)).status_code == 200

    ldap_settings.remove_member("larder-users", "bob")
    restore_membership.append(("larder-users", "bob"))
    assert (
        Client().post("/login/", {"username": "bob", "password": password_of("bob")}).status_code
        == 200
    )  # the form again: refused
    assert call("GET", probe(repo, "read"), token_basic(token)).status_code == 401
