"""POST /api/v1/tokens/: the secret is in this answer only; Larder keeps just its hash."""

import json

import pytest
from django.utils import timezone

from repository.access.tokens import hash_token
from repository.models import ApiToken, AuditEvent

URL = "/api/v1/tokens/"


def test_it_returns_the_token_once(api, reader):
    response = api("POST", URL, user=reader, body={"name": "laptop"})
    assert response.status_code == 201
    created = response.json()
    plain = created["token"]
    assert plain.startswith("larder_")
    assert created["prefix"] == plain[: len(created["prefix"])]
    assert response["Location"] == created["url"]
    listed = api("GET", URL, user=reader).content.decode()
    shown = api("GET", created["url"].removeprefix("http://testserver"), user=reader)
    for later in [listed, shown.content.decode()]:
        assert plain not in later
        assert hash_token(plain) not in later
        assert '"token"' not in later
    assert ApiToken.objects.get().token_hash == hash_token(plain)


def test_it_makes_a_token_that_works(api, reader, make_repository):
    make_repository("secret", "pypi", private=True)
    plain = api("POST", URL, user=reader, body={}).json()["token"]
    response = api("GET", "/api/v1/repositories/secret/", token=plain)
    assert response.status_code == 200


def test_it_sets_expiry_readonly_and_repository_limits(api, reader, make_repository):
    make_repository("one", "pypi", private=True)
    make_repository("two", "npm", private=True)
    body = {"name": "ci", "expires_in_days": 7, "readonly": True, "repositories": ["two"]}
    created = api("POST", URL, user=reader, body=body).json()
    assert (created["name"], created["readonly"], created["repositories"]) == ("ci", True, ["two"])
    token = ApiToken.objects.get()
    assert 6 < (token.expires - timezone.now()).days + 1 <= 7
    assert api("GET", "/api/v1/repositories/one/", token=created["token"]).status_code == 404
    assert api("GET", "/api/v1/repositories/two/", token=created["token"]).status_code == 200


def test_it_writes_an_audit_event_without_the_secret(api, reader):
    plain = api("POST", URL, user=reader, body={"name": "ci", "readonly": True}).json()["token"]
    event = AuditEvent.objects.get(action="token.create")
    assert event.actor == reader
    assert event.details["readonly"] is True
    assert plain not in json.dumps(event.details) + event.target


@pytest.mark.parametrize(
    "body",
    [
        {"expires_in_days": 0},
        {"expires_in_days": -3},
        {"expires_in_days": "soon"},
        {"repositories": "not-a-list"},
        {"name": "x" * 129},
    ],
)
def test_it_refuses_bad_options(api, reader, body):
    assert api("POST", URL, user=reader, body=body).status_code == 400
    assert not ApiToken.objects.exists()


def test_it_refuses_repositories_the_caller_cannot_read_as_if_missing(
    api, outsider, make_repository
):
    make_repository("secret", "pypi", private=True)
    for name in ["secret", "missing"]:
        response = api("POST", URL, user=outsider, body={"repositories": [name]})
        assert response.status_code == 400
        assert response.json() == {"repositories": [f"no repository named {name}"]}
    assert not ApiToken.objects.exists()


def test_it_will_not_let_a_token_create_tokens(api, reader, make_token):
    response = api("POST", URL, token=make_token(reader), body={})
    assert response.status_code == 403
    assert "password" in response.json()["detail"]
    assert ApiToken.objects.count() == 1


def test_it_asks_anonymous_callers_to_authenticate(api, db):
    response = api("POST", URL, body={})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Larder"'


def test_it_works_from_a_browser_session(client, reader):
    client.force_login(reader)
    response = client.post(URL, {"name": "web"}, content_type="application/json")
    assert response.status_code == 201
