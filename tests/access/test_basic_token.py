"""An API token sent as the Basic password: twine's `__token__`, or any username at all."""

import pytest

from tests.access.conftest import api, probe, token_basic


@pytest.mark.parametrize("username", ["__token__", "reader", "ci-bot", ""])
def test_it_accepts_a_token_as_the_password_with_any_username(
    call, reader, make_token, private_repo, username
):
    token = make_token(reader)
    response = call("GET", probe(private_repo, "read"), token_basic(token, username))
    assert response.status_code == 200
    assert response.json()["user"] == "reader"
    assert call("GET", api(private_repo), token_basic(token, username)).status_code == 200


def test_it_acts_as_the_tokens_owner_whatever_username_is_sent(
    call, deployer, outsider, make_token, private_repo
):
    """The username does not pick the account: an outsider's name gives no outsider's rights,
    and the deployer's token keeps its owner's rights."""
    token = make_token(deployer)
    response = call("POST", probe(private_repo, "write"), token_basic(token, "outsider"))
    assert response.status_code == 200
    assert response.json()["user"] == "deployer"


def test_it_answers_401_for_an_unknown_token(call, private_repo):
    auth = token_basic("larder_this-token-does-not-exist")
    response = call("GET", probe(private_repo, "read"), auth)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Larder"'
    assert call("GET", api(private_repo), auth).status_code == 401
