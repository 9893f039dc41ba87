"""Anonymous read, per repository: on, anyone installs; off, anonymous callers get 401."""

from repository.models import Repository
from tests.access.conftest import api, basic, probe


def test_it_lets_anyone_read_a_public_repository(call, public_repo):
    assert call("GET", probe(public_repo, "read")).status_code == 200
    assert call("GET", probe(public_repo, "unmarked")).status_code == 200
    assert call("GET", api(public_repo)).status_code == 200
    assert call("GET", api(public_repo) + "packages/").status_code == 200


def test_it_never_lets_anonymous_callers_write_to_a_public_repository(call, public_repo):
    response = call("PUT", probe(public_repo, "write"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Larder"'
    assert call("PATCH", api(public_repo)).status_code == 401


def test_it_asks_anonymous_callers_to_authenticate_on_a_private_repository(call, private_repo):
    response = call("GET", probe(private_repo, "read"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Larder"'
    assert response.json() == {"probe_error": "authentication required"}
    api_response = call("GET", api(private_repo))
    assert api_response.status_code == 401
    assert api_response["WWW-Authenticate"] == 'Basic realm="Larder"'


def test_it_refuses_signed_in_outsiders_on_a_private_repository(call, outsider, private_repo):
    """A repository one may not read does not exist for them, in the dispatcher as in the API."""
    assert call("GET", probe(private_repo, "read"), basic(outsider)).status_code == 404
    assert call("GET", api(private_repo), basic(outsider)).status_code == 404


def test_it_follows_the_setting_when_an_admin_turns_it_off(call, admin, public_repo):
    assert call("GET", probe(public_repo, "read")).status_code == 200
    response = call("PATCH", api(public_repo), basic(admin), body={"anonymous_read": False})
    assert response.status_code == 200
    assert not Repository.objects.get(pk=public_repo.pk).anonymous_read
    assert call("GET", probe(public_repo, "read")).status_code == 401
    assert call("GET", "/api/v1/repositories/").json()["count"] == 0
