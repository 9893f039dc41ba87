"""Users and groups in the UI, for superusers: make local users, deactivate, reset passwords,
see groups and tokens; make groups, add and remove members. Audited."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from repository.access.tokens import create_token, resolve_token
from repository.models import AuditEvent
from tests.conftest import PASSWORD
from tests.ui.conftest import csrf_client, post

NEW_PASSWORD = "a new long passphrase"


def test_a_superuser_makes_a_local_user_who_can_sign_in(admin):
    client = csrf_client(admin)
    response = post(
        client, "/ui/users/", {"username": "carol", "password": NEW_PASSWORD}, "/ui/users/"
    )
    assert response.status_code == 302
    assert response["Location"] == "/ui/users/carol/"
    assert Client().login(username="carol", password=NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="user.create", target="carol").exists()


def test_it_refuses_a_taken_name_or_a_short_password(admin, reader):
    client = csrf_client(admin)
    taken = post(
        client, "/ui/users/", {"username": "reader", "password": NEW_PASSWORD}, "/ui/users/"
    )
    assert taken.status_code == 400
    assert "already exists" in taken.content.decode()
    short = post(client, "/ui/users/", {"username": "dave", "password": "x"}, "/ui/users/")
    assert short.status_code == 400
    assert not get_user_model().objects.filter(username="dave").exists()


def test_deactivating_a_user_stops_sign_in_and_their_tokens(admin, reader, rf):
    _, plain = create_token(reader)
    client = csrf_client(admin)
    page = client.get("/ui/users/reader/").content.decode()
    assert "Deactivate" in page
    post(client, "/ui/users/reader/active/", {"active": "0"}, "/ui/users/reader/")
    assert not Client().login(username="reader", password=PASSWORD)
    assert resolve_token(plain) is None
    assert AuditEvent.objects.filter(action="user.deactivate", target="reader").exists()
    post(client, "/ui/users/reader/active/", {"active": "1"}, "/ui/users/reader/")
    assert Client().login(username="reader", password=PASSWORD)


def test_it_resets_a_password(admin, reader):
    client = csrf_client(admin)
    post(client, "/ui/users/reader/password/", {"password": NEW_PASSWORD}, "/ui/users/reader/")
    assert Client().login(username="reader", password=NEW_PASSWORD)
    assert not Client().login(username="reader", password=PASSWORD)
    event = AuditEvent.objects.get(action="user.password-reset")
    assert NEW_PASSWORD not in str(event.details)


def test_the_user_page_shows_groups_and_tokens(admin, reader):
    Group.objects.create(name="qa").user_set.add(reader)
    create_token(reader, name="reader-ci")
    page = csrf_client(admin).get("/ui/users/reader/").content.decode()
    assert "qa" in page and "reader-ci" in page


def test_a_superuser_makes_groups_and_changes_members(admin, reader):
    client = csrf_client(admin)
    made = post(client, "/ui/groups/", {"name": "release"}, "/ui/groups/")
    assert made["Location"] == "/ui/groups/release/"
    post(client, "/ui/groups/release/", {"username": "reader"}, "/ui/groups/release/")
    assert list(Group.objects.get(name="release").user_set.all()) == [reader]
    assert "reader" in client.get("/ui/groups/release/").content.decode()
    post(client, "/ui/groups/release/members/reader/remove/", {}, "/ui/groups/release/")
    assert not Group.objects.get(name="release").user_set.exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"group.create", "group.add-member", "group.remove-member"} <= actions


def test_non_superusers_are_refused(deployer):
    client = csrf_client(deployer)
    for url in ["/ui/users/", "/ui/users/deployer/", "/ui/groups/", "/ui/grants/"]:
        assert client.get(url).status_code == 403, url
