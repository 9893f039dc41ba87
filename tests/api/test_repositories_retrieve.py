"""GET /api/v1/repositories/<name>/: 401 for anonymous and 404 for signed-in callers who may
not read it, exactly as for a repository that does not exist."""

import pytest


@pytest.fixture
def secret(make_repository):
    return make_repository("secret", "pypi", private=True, description="internal")


def test_it_shows_a_public_repository_to_anyone(api, make_repository):
    make_repository("open.repo", "generic")
    response = api("GET", "/api/v1/repositories/open.repo/")
    assert response.status_code == 200
    assert response.json()["name"] == "open.repo"


def test_it_shows_a_private_repository_to_its_reader(api, reader, secret):
    body = api("GET", "/api/v1/repositories/secret/", user=reader).json()
    assert body["description"] == "internal"
    assert body["private"] is True


def test_it_asks_anonymous_callers_to_authenticate(api, secret):
    for name in ["secret", "does-not-exist"]:
        response = api("GET", f"/api/v1/repositories/{name}/")
        assert response.status_code == 401, name
        assert response["WWW-Authenticate"] == 'Basic realm="Larder"'


def test_it_answers_404_to_outsiders_as_if_it_did_not_exist(api, outsider, secret):
    hidden = api("GET", "/api/v1/repositories/secret/", user=outsider)
    missing = api("GET", "/api/v1/repositories/does-not-exist/", user=outsider)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == "no repository named secret"


def test_it_refuses_put(api, admin, secret):
    response = api("PUT", "/api/v1/repositories/secret/", user=admin, body={})
    assert response.status_code == 405
    assert "PATCH" in response["Allow"]
