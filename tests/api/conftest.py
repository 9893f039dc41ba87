"""Calling the API as the shared users: `api("GET", url, user=reader)` or `token=...`."""

import json

import pytest

from tests.conftest import PASSWORD, basic_auth


@pytest.fixture
def api(client):
    def call(method: str, url: str, *, user=None, token=None, body=None, **headers):
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = basic_auth(user.username, PASSWORD)
        if token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if body is not None:
            return client.generic(
                method, url, json.dumps(body), content_type="application/json", **headers
            )
        return client.generic(method, url, **headers)

    return call


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are made per test; PBKDF2 would make each Basic sign-in take half a second."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
