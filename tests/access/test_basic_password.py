"""HTTP Basic with a username and password, on the dispatcher and the API."""

from tests.access.conftest import api, basic, probe, token_basic


def test_it_reads_a_private_repository_with_the_right_password(call, reader, private_repo):
    response = call("GET", probe(private_repo, "read"), basic(reader))
    assert response.status_code == 200
    assert response.json()["user"] == "reader"
    assert call("GET", api(private_repo), basic(reader)).status_code == 200


def test_it_answers_401_with_a_challenge_for_a_wrong_password(call, reader, private_repo):
    for url in [probe(private_repo, "read"), api(private_repo)]:
        response = call("GET", url, basic(reader, "wrong password"))
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == 'Basic realm="Larder"'


def test_it_answers_401_for_a_wrong_password_even_where_anonymous_may_read(
    call, reader, public_repo
):
    """Bad credentials are never silently downgraded to anonymous."""
    assert call("GET", probe(public_repo, "read"), basic(reader, "nope")).status_code == 401
    assert call("GET", "/api/v1/repositories/", basic(reader, "nope")).status_code == 401


def test_it_answers_401_for_an_unknown_user(call, private_repo):
    auth = token_basic("secret", "nobody")
    assert call("GET", probe(private_repo, "read"), auth).status_code == 401
    assert call("GET", api(private_repo), auth).status_code == 401


def test_it_refuses_a_deactivated_user(call, reader, private_repo):
    reader.is_active = False
    reader.save()
    assert call("GET", probe(private_repo, "read"), basic(reader)).status_code == 401
    assert call("GET", api(private_repo), basic(reader)).status_code == 401


def test_it_answers_401_for_a_malformed_authorization_header(call, public_repo):
    for header in ["Basic not-base64!", "Basic " + "dXNlcm5hbWU=", "Bearer"]:
        assert call("GET", probe(public_repo, "read"), header).status_code == 401, header
        assert call("GET", api(public_repo), header).status_code == 401, header
