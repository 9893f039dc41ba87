"""Revoked tokens stop working everywhere; log-in views still let their holder replace them."""

from repository.access.tokens import revoke_token
from repository.models import ApiToken
from tests.access.conftest import api, bearer, probe, token_basic


def test_it_rejects_a_revoked_token(call, reader, make_token, private_repo):
    token = make_token(reader)
    revoke_token(ApiToken.objects.get(user=reader))
    for auth in [bearer(token), token_basic(token)]:
        response = call("GET", probe(private_repo, "read"), auth)
        assert response.status_code == 401
        assert response.json() == {"probe_error": "invalid credentials"}
        assert call("GET", api(private_repo), auth).status_code == 401


def test_it_rejects_a_token_revoked_through_the_api(call, reader, make_token, private_repo):
    token = make_token(reader)
    pk = ApiToken.objects.get(user=reader).pk
    assert call("DELETE", f"/api/v1/tokens/{pk}/", bearer(token)).status_code == 204
    assert call("GET", probe(private_repo, "read"), bearer(token)).status_code == 401


def test_it_lets_a_stale_token_reach_a_login_view_as_anonymous(
    call, reader, make_token, private_repo
):
    token = make_token(reader)
    revoke_token(ApiToken.objects.get(user=reader))
    response = call("POST", probe(private_repo, "login"), bearer(token))
    assert response.status_code == 200
    assert response.json()["user"] == ""
    assert call("POST", probe(private_repo, "open"), bearer(token)).status_code == 401
