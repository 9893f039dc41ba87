"""API errors are JSON, whatever went wrong."""

from tests.conftest import PASSWORD, basic_auth


def test_it_answers_unknown_api_paths_with_json_404(api, reader):
    for path in ["/api/v1/nope/", "/api/v1/repositories/x/y/z/", "/api/v2/"]:
        response = api("GET", path, user=reader)
        assert response.status_code == 404, path
        if path.startswith("/api/v1/"):
            assert response.json() == {"detail": "Not found."}


def test_it_redirects_a_missing_trailing_slash_keeping_the_method(api, admin, make_repository):
    make_repository("py", "pypi")
    response = api("GET", "/api/v1/repositories/py?x=1")
    assert response.status_code == 308
    assert response["Location"] == "/api/v1/repositories/py/?x=1"
    assert api("DELETE", "/api/v1/repositories/py", user=admin).status_code == 308


def test_it_answers_401_as_json_for_bad_credentials(api, db):
    response = api("GET", "/api/v1/repositories/", HTTP_AUTHORIZATION=basic_auth("no", "body"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Larder"'
    assert response.json() == {"detail": "invalid credentials"}


def test_it_answers_405_as_json(api, admin, make_repository):
    make_repository("py", "pypi")
    response = api("POST", "/api/v1/repositories/py/", user=admin, body={})
    assert response.status_code == 405
    assert response.json()["detail"] == 'Method "POST" not allowed.'


def test_it_answers_malformed_json_with_400(api, admin, client):
    response = client.post(
        "/api/v1/repositories/",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=basic_auth("admin", PASSWORD),
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
