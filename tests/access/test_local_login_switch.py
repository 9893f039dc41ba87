"""LARDER_LOCAL_LOGIN=superusers: once everyone signs in through LDAP or OIDC, local
passwords work for superusers alone (the UI and HTTP Basic alike)."""

import pytest
from django.test import Client

from tests.access.conftest import basic, probe
from tests.conftest import PASSWORD


@pytest.fixture
def superusers_only(settings):
    settings.LARDER_LOCAL_LOGIN = "superusers"


def test_non_superusers_cannot_use_a_local_password(superusers_only, reader, call, private_repo):
    assert not Client().login(username="reader", password=PASSWORD)
    response = Client().post("/login/", {"username": "reader", "password": PASSWORD})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert call("GET", probe(private_repo, "read"), basic(reader)).status_code == 401


def test_superusers_still_can(superusers_only, admin, call, private_repo):
    assert Client().login(username="admin", password=PASSWORD)
    assert call("GET", probe(private_repo, "read"), basic(admin)).status_code == 200


def test_tokens_keep_working(superusers_only, reader, make_token, call, private_repo):
    token = make_token(reader)
    response = call("GET", probe(private_repo, "read"), f"Bearer {token}")
    assert response.status_code == 200
