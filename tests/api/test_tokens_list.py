"""GET /api/v1/tokens/ and /api/v1/tokens/<id>/: your own tokens; admins may ask for anyone's."""

from repository.access.tokens import revoke_token
from repository.models import ApiToken, RepositoryRole, Role

URL = "/api/v1/tokens/"


def test_it_lists_only_the_callers_live_tokens(api, reader, deployer, make_token):
    make_token(reader, name="laptop")
    make_token(reader, name="old")
    make_token(deployer, name="theirs")
    revoke_token(ApiToken.objects.get(name="old"))
    body = api("GET", URL, user=reader).json()
    assert [row["name"] for row in body["results"]] == ["laptop"]
    row = body["results"][0]
    assert (row["user"], row["active"], row["readonly"]) == ("reader", True, False)
    assert set(row) >= {"id", "prefix", "created", "expires", "last_used", "repositories"}


def test_it_lists_another_users_tokens_to_an_admin(api, admin, reader, make_token):
    make_token(reader, name="laptop")
    body = api("GET", URL + "?user=reader", user=admin).json()
    assert [row["name"] for row in body["results"]] == ["laptop"]
    assert api("GET", URL + "?user=nobody", user=admin).json()["count"] == 0


def test_it_lets_a_global_admin_role_list_others(api, outsider, reader, make_token):
    RepositoryRole.objects.create(user=outsider, role=Role.ADMIN)
    make_token(reader)
    assert api("GET", URL + "?user=reader", user=outsider).json()["count"] == 1


def test_it_forbids_listing_others_tokens_to_everyone_else(api, reader, deployer, make_token):
    make_token(deployer)
    assert api("GET", URL + "?user=deployer", user=reader).status_code == 403
    assert api("GET", URL + "?user=reader", user=reader).status_code == 200


def test_it_shows_one_token_only_to_its_owner_or_an_admin(api, admin, reader, outsider, make_token):
    make_token(reader, name="laptop")
    url = f"{URL}{ApiToken.objects.get().pk}/"
    assert api("GET", url, user=reader).json()["name"] == "laptop"
    assert api("GET", url, user=admin).status_code == 200
    assert api("GET", url, user=outsider).status_code == 404
    assert api("GET", f"{URL}999999/", user=reader).status_code == 404


def test_it_paginates(api, reader, make_token):
    for number in range(3):
        make_token(reader, name=f"t{number}")
    body = api("GET", URL + "?limit=2", user=reader).json()
    assert (body["count"], len(body["results"])) == (3, 2)


def test_it_asks_anonymous_callers_to_authenticate(api, db):
    response = api("GET", URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Larder"'


def test_it_refuses_put_and_patch(api, reader, make_token):
    make_token(reader)
    url = f"{URL}{ApiToken.objects.get().pk}/"
    assert api("PATCH", url, user=reader, body={"readonly": True}).status_code == 405
    assert api("PUT", url, user=reader, body={}).status_code == 405
