"""Grants without a repository apply to every repository, including ones made later."""

from repository.models import Role
from tests.access.conftest import api, basic, probe


def test_it_lets_a_global_reader_read_every_private_repository(
    call, outsider, grant, private_repo, other_private_repo, make_repository
):
    grant(Role.READER, user=outsider)
    later = make_repository("later", "probe", private=True)
    for repository in [private_repo, other_private_repo, later]:
        assert call("GET", probe(repository, "read"), basic(outsider)).status_code == 200
        assert call("PUT", probe(repository, "write"), basic(outsider)).status_code == 403
    assert call("GET", "/api/v1/repositories/", basic(outsider)).json()["count"] == 3


def test_it_lets_a_global_deployer_write_everywhere_but_not_administer(
    call, outsider, grant, private_repo
):
    grant(Role.DEPLOYER, user=outsider)
    assert call("PUT", probe(private_repo, "write"), basic(outsider)).status_code == 200
    assert call("PATCH", api(private_repo), basic(outsider)).status_code == 403
    body = {"name": "made", "format": "probe"}
    response = call("POST", "/api/v1/repositories/", basic(outsider), body=body)
    assert response.status_code == 403


def test_it_lets_a_global_admin_create_change_and_delete_repositories(
    call, outsider, grant, private_repo
):
    grant(Role.ADMIN, user=outsider)
    body = {"name": "made", "format": "probe"}
    assert call("POST", "/api/v1/repositories/", basic(outsider), body=body).status_code == 201
    response = call("PATCH", api(private_repo), basic(outsider), body={"description": "x"})
    assert response.status_code == 200
    assert call("DELETE", api(private_repo), basic(outsider)).status_code == 204


def test_it_keeps_a_repository_admin_to_their_repository(
    call, outsider, grant, private_repo, other_private_repo
):
    grant(Role.ADMIN, user=outsider, repository=private_repo)
    response = call("PATCH", api(private_repo), basic(outsider), body={"description": "x"})
    assert response.status_code == 200
    assert call("DELETE", api(private_repo), basic(outsider)).status_code == 403
    assert call("PATCH", api(other_private_repo), basic(outsider)).status_code == 404
