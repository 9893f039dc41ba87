"""Expired tokens stop working everywhere, at once."""

from datetime import timedelta

from django.utils import timezone

from repository.models import ApiToken
from tests.access.conftest import api, bearer, probe, token_basic


def expire(user) -> None:
    ApiToken.objects.filter(user=user).update(expires=timezone.now() - timedelta(seconds=1))


def test_it_rejects_an_expired_token(call, reader, make_token, private_repo):
    token = make_token(reader, expires_in_days=30)
    assert call("GET", probe(private_repo, "read"), bearer(token)).status_code == 200
    expire(reader)
    for auth in [bearer(token), token_basic(token)]:
        response = call("GET", probe(private_repo, "read"), auth)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Basic realm="Larder"'
        assert call("GET", api(private_repo), auth).status_code == 401


def test_it_rejects_an_expired_token_on_public_repositories_too(
    call, reader, make_token, public_repo
):
    token = make_token(reader, expires_in_days=1)
    expire(reader)
    assert call("GET", probe(public_repo, "read"), bearer(token)).status_code == 401


def test_it_keeps_a_token_without_expiry_working(call, reader, make_token, private_repo):
    token = make_token(reader)
    assert ApiToken.objects.get(user=reader).expires is None
    assert call("GET", probe(private_repo, "read"), bearer(token)).status_code == 200
