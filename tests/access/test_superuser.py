"""A superuser holds every role on every repository without any grant."""

from tests.access.conftest import api, basic, probe


def test_it_lets_a_superuser_read_and_write_everything(
    call, admin, private_repo, other_private_repo
):
    for repository in [private_repo, other_private_repo]:
        assert call("GET", probe(repository, "read"), basic(admin)).status_code == 200
        assert call("PUT", probe(repository, "write"), basic(admin)).status_code == 200
        assert call("GET", api(repository), basic(admin)).status_code == 200


def test_it_lists_every_repository_for_a_superuser(
    call, admin, private_repo, other_private_repo, public_repo
):
    assert call("GET", "/api/v1/repositories/", basic(admin)).json()["count"] == 3


def test_it_lets_a_superuser_create_and_delete_repositories(call, admin):
    body = {"name": "made", "format": "probe", "private": True}
    assert call("POST", "/api/v1/repositories/", basic(admin), body=body).status_code == 201
    assert call("DELETE", "/api/v1/repositories/made/", basic(admin)).status_code == 204
