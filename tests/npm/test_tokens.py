"""npm token list/create/revoke over Larder's API tokens."""

import json

from repository.access.tokens import resolve_token
from repository.models import ApiToken, AuditEvent
from tests.conftest import PASSWORD, basic_auth
from tests.npm.conftest import REPO

TOKENS = f"{REPO}/-/npm/v1/tokens"


def _auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _create(client, auth, **body):
    return client.post(
        TOKENS,
        data=json.dumps({"password": PASSWORD, **body}),
        content_type="application/json",
        **auth,
    )


def test_it_lists_the_callers_tokens(client, npm_repository, deployer, reader, make_token):
    mine = make_token(deployer, name="ci")
    make_token(reader)
    response = client.get(TOKENS, **_auth(mine))
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert body["urls"] == {}
    [listed] = body["objects"]
    assert mine.startswith(listed["token"])
    assert listed["name"] == "ci"
    assert listed["readonly"] is False
    assert listed["key"] == ApiToken.objects.get(user=deployer).token_hash
    assert mine not in json.dumps(body)


def test_it_creates_a_token_confirmed_by_password(client, npm_repository, deployer, make_token):
    response = _create(client, _auth(make_token(deployer)), readonly=True, name="ro")
    assert response.status_code == 201
    created = resolve_token(response.json()["token"])
    assert created.user == deployer
    assert created.readonly is True
    assert created.name == "ro"
    assert list(created.repositories.all()) == [npm_repository]
    assert AuditEvent.objects.filter(action="token.create").exists()


def test_it_creates_expiring_tokens(client, npm_repository, deployer):
    response = _create(client, {"HTTP_AUTHORIZATION": basic_auth("deployer", PASSWORD)}, expires=7)
    assert response.json()["expires"] is not None


def test_it_refuses_a_wrong_password(client, npm_repository, deployer, make_token):
    response = _create(client, _auth(make_token(deployer)), password="wrong")
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_it_refuses_cidr_restrictions_it_cannot_enforce(client, npm_repository, deployer):
    auth = {"HTTP_AUTHORIZATION": basic_auth("deployer", PASSWORD)}
    response = _create(client, auth, cidr_whitelist=["10.0.0.0/8"])
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_it_revokes_by_key_and_by_token(client, npm_repository, deployer, make_token):
    caller = make_token(deployer)
    first, second = make_token(deployer), make_token(deployer)
    key = ApiToken.objects.get(token_hash=resolve_token(first).token_hash).token_hash
    assert client.delete(f"{TOKENS}/token/{key}", **_auth(caller)).status_code == 204
    assert client.delete(f"{TOKENS}/token/{second}", **_auth(caller)).status_code == 204
    assert resolve_token(first) is None
    assert resolve_token(second) is None
    assert resolve_token(caller) is not None
    assert AuditEvent.objects.filter(action="token.revoke").count() == 2


def test_it_never_revokes_someone_elses_token(client, npm_repository, deployer, reader, make_token):
    theirs = make_token(reader)
    response = client.delete(f"{TOKENS}/token/{theirs}", **_auth(make_token(deployer)))
    assert response.status_code == 404
    assert resolve_token(theirs) is not None


def test_it_asks_anonymous_callers_to_authenticate(client, npm_repository):
    for response in (client.get(TOKENS), client.delete(f"{TOKENS}/token/x")):
        assert response.status_code == 401
        assert response.has_header("WWW-Authenticate")


def test_it_answers_405_to_other_methods(client, npm_repository, deployer, make_token):
    auth = _auth(make_token(deployer))
    assert client.put(TOKENS, **auth).status_code == 405
    assert client.get(f"{TOKENS}/token/x", **auth).status_code == 405


def test_it_makes_granular_read_only_tokens_read_only(client, npm_repository, deployer):
    auth = {"HTTP_AUTHORIZATION": basic_auth("deployer", PASSWORD)}
    response = _create(client, auth, packages_and_scopes_permission="read-only", packages_all=True)
    assert response.status_code == 201
    assert resolve_token(response.json()["token"]).readonly is True


def test_it_refuses_package_limits_it_cannot_enforce(client, npm_repository, deployer):
    auth = {"HTTP_AUTHORIZATION": basic_auth("deployer", PASSWORD)}
    for limits in ({"packages": ["demo"]}, {"packages_and_scopes_permission": "no-access"}):
        assert _create(client, auth, **limits).status_code == 400
    assert not ApiToken.objects.exists()
