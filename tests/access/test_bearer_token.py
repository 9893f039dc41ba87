"""`Authorization: Bearer <token>` (npm's _authToken, scripts and the API)."""

from tests.access.conftest import api, bearer, probe


def test_it_reads_and_writes_with_a_bearer_token(call, deployer, make_token, private_repo):
    token = make_token(deployer)
    assert call("GET", probe(private_repo, "read"), bearer(token)).json()["user"] == "deployer"
    assert call("PUT", probe(private_repo, "write"), bearer(token)).status_code == 200
    assert call("GET", api(private_repo), bearer(token)).status_code == 200


def test_it_answers_401_for_an_unknown_bearer_token(call, public_repo):
    """Even a value that does not look like a Larder token: Bearer always means a token."""
    for value in ["larder_unknown", "eyJhbGciOi.something.else"]:
        response = call("GET", probe(public_repo, "read"), bearer(value))
        assert response.status_code == 401, value
        assert response["WWW-Authenticate"] == 'Basic realm="Larder"'
        assert call("GET", "/api/v1/repositories/", bearer(value)).status_code == 401


def test_it_records_when_a_token_was_last_used(call, reader, make_token, private_repo):
    from repository.models import ApiToken

    token = make_token(reader)
    call("GET", probe(private_repo, "read"), bearer(token))
    assert ApiToken.objects.get(user=reader).last_used is not None
