"""npm ping, whoami, login/adduser (couch flow) and logout."""

import pytest
from django.contrib.auth import get_user_model

from repository.access.tokens import resolve_token
from repository.models import ApiToken, AuditEvent
from tests.conftest import PASSWORD
from tests.npm.conftest import REPO

LOGIN = "/-/user/org.couchdb.user:deployer"


def _login(put_json, name="deployer", password=PASSWORD, **extra):
    body = {"_id": f"org.couchdb.user:{name}", "name": name, "password": password, **extra}
    return put_json(f"/-/user/org.couchdb.user:{name}", body)


def test_it_answers_ping(client, npm_repository):
    response = client.get(f"{REPO}/-/ping")
    assert response.status_code == 200
    assert response.json() == {}


def test_it_answers_ping_on_private_repositories(client, make_repository):
    make_repository("npm-hosted", "npm", private=True)
    assert client.get(f"{REPO}/-/ping").status_code == 200


def test_it_says_who_is_calling(client, npm_repository, deployer, make_token):
    token = make_token(deployer)
    response = client.get(f"{REPO}/-/whoami", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.json() == {"username": "deployer"}


def test_it_answers_whoami_401_to_anonymous_callers(client, npm_repository):
    response = client.get(f"{REPO}/-/whoami")
    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")
    assert "error" in response.json()


def test_it_answers_whoami_401_to_revoked_tokens(client, npm_repository, deployer, make_token):
    token = make_token(deployer)
    ApiToken.objects.update(revoked="2020-01-01T00:00Z")
    assert client.get(f"{REPO}/-/whoami", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_it_declines_web_login_with_a_4xx(client, npm_repository):
    response = client.post(f"{REPO}/-/v1/login", data={}, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert "error" in response.json()


def test_it_logs_in_with_username_and_password(client, put_json, deployer, npm_repository):
    response = _login(put_json)
    assert response.status_code == 201
    body = response.json()
    assert body["ok"] is True
    token = resolve_token(body["token"])
    assert token.user == deployer
    assert list(token.repositories.all()) == [npm_repository]
    assert AuditEvent.objects.filter(action="npm.login", target="deployer").exists()
    whoami = client.get(f"{REPO}/-/whoami", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert whoami.json() == {"username": "deployer"}


def test_it_refuses_a_wrong_password(put_json, deployer):
    response = _login(put_json, password="wrong")
    assert response.status_code == 401
    assert response.json() == {"error": "incorrect username or password"}
    assert not ApiToken.objects.exists()


def test_it_does_not_register_users_by_default(put_json):
    response = _login(put_json, name="newcomer", email="n@example.test")
    assert response.status_code == 401
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_it_registers_users_when_self_registration_is_on(put_json, settings):
    settings.LARDER_SELF_REGISTRATION = True
    response = _login(put_json, name="newcomer", password="a long enough password", email="n@x.t")
    assert response.status_code == 201
    user = get_user_model().objects.get(username="newcomer")
    assert user.check_password("a long enough password")
    assert resolve_token(response.json()["token"]).user == user


def test_it_applies_password_rules_to_registrations(put_json, settings):
    settings.LARDER_SELF_REGISTRATION = True
    response = _login(put_json, name="newcomer", password="short")
    assert response.status_code == 400
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_it_never_registers_over_an_existing_user(put_json, settings, deployer):
    settings.LARDER_SELF_REGISTRATION = True
    assert _login(put_json, password="another long password").status_code == 401


@pytest.mark.parametrize("body", [{"name": "someone-else", "password": "x"}, {"name": "deployer"}])
def test_it_rejects_malformed_logins(put_json, deployer, body):
    response = put_json(LOGIN, body)
    assert response.status_code == 400


def test_it_answers_405_on_the_user_document(client, npm_repository):
    assert client.get(f"{REPO}{LOGIN}").status_code == 405


def test_it_logs_out_by_revoking_the_token(client, put_json, deployer):
    token = _login(put_json).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.delete(f"{REPO}/-/user/token/{token}", **auth)
    assert response.status_code == 200
    assert resolve_token(token) is None
    assert AuditEvent.objects.filter(action="npm.logout").exists()
    assert client.get(f"{REPO}/-/whoami", **auth).status_code == 401


def test_it_logs_in_with_a_stale_token_still_configured(put_json, deployer, make_token):
    stale = make_token(deployer)
    ApiToken.objects.update(revoked="2020-01-01T00:00Z")
    body = {"name": "deployer", "password": PASSWORD}
    response = put_json(LOGIN, body, HTTP_AUTHORIZATION=f"Bearer {stale}")
    assert response.status_code == 201
    assert resolve_token(response.json()["token"]).user == deployer


def test_it_lets_a_stale_token_log_out(client, npm_repository, deployer, make_token):
    stale = make_token(deployer)
    ApiToken.objects.update(revoked="2020-01-01T00:00Z")
    response = client.delete(f"{REPO}/-/user/token/{stale}", HTTP_AUTHORIZATION=f"Bearer {stale}")
    assert response.status_code == 200


def test_it_still_refuses_stale_tokens_elsewhere(client, npm_repository, deployer, make_token):
    stale = make_token(deployer)
    ApiToken.objects.update(revoked="2020-01-01T00:00Z")
    assert client.get(f"{REPO}/-/ping", HTTP_AUTHORIZATION=f"Bearer {stale}").status_code == 401
    assert client.get(f"{REPO}/nothing", HTTP_AUTHORIZATION=f"Bearer {stale}").status_code == 401


def test_it_answers_unknown_tokens_as_already_logged_out(client, npm_repository):
    assert client.delete(f"{REPO}/-/user/token/larder_unknown").status_code == 200
    assert not AuditEvent.objects.exists()


def test_it_answers_405_to_other_methods_on_logout(client, npm_repository, deployer, make_token):
    token = make_token(deployer)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"{REPO}/-/user/token/{token}", **auth).status_code == 405
