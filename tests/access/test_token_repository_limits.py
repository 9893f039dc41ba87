"""A token limited to some repositories acts only there, whatever else its owner may do."""

from repository.models import Role
from tests.access.conftest import api, bearer, probe


def test_it_reads_and_writes_only_the_repositories_it_names(
    call, deployer, make_token, private_repo, other_private_repo
):
    token = make_token(deployer, repositories=[private_repo])
    assert call("GET", probe(private_repo, "read"), bearer(token)).status_code == 200
    assert call("PUT", probe(private_repo, "write"), bearer(token)).status_code == 200
    assert call("GET", probe(other_private_repo, "read"), bearer(token)).status_code == 404
    assert call("PUT", probe(other_private_repo, "write"), bearer(token)).status_code == 404


def test_it_hides_other_private_repositories_in_the_api(
    call, deployer, make_token, private_repo, other_private_repo, public_repo
):
    token = make_token(deployer, repositories=[private_repo])
    assert call("GET", api(other_private_repo), bearer(token)).status_code == 404
    listed = call("GET", "/api/v1/repositories/", bearer(token)).json()["results"]
    assert sorted(row["name"] for row in listed) == sorted([public_repo.name, private_repo.name])


def test_it_hides_other_private_repositories_in_the_web_ui(
    call, deployer, make_token, private_repo, other_private_repo, public_repo
):
    unlimited = call("GET", "/", bearer(make_token(deployer))).content.decode()
    assert other_private_repo.name in unlimited
    page = call("GET", "/", bearer(make_token(deployer, repositories=[private_repo])))
    assert page.status_code == 200
    shown = page.content.decode()
    assert private_repo.name in shown and public_repo.name in shown
    assert other_private_repo.name not in shown


def test_it_never_gives_a_limited_superuser_token_global_powers(
    call, admin, make_token, private_repo, other_private_repo
):
    token = make_token(admin, repositories=[private_repo])
    assert call("GET", probe(other_private_repo, "read"), bearer(token)).status_code == 404
    assert call("DELETE", api(private_repo), bearer(token)).status_code == 403
    refused = call("POST", "/api/v1/repositories/", bearer(token), body={"name": "x"})
    assert refused.status_code == 403
    assert "limited to some repositories" in refused.json()["detail"]


def test_it_still_reads_public_repositories(call, outsider, make_token, private_repo, public_repo):
    """Anyone may read a public repository: a limit on a token takes nothing from that."""
    token = make_token(outsider, repositories=[private_repo])
    assert call("GET", probe(public_repo, "read"), bearer(token)).status_code == 200


def test_it_is_revoked_when_its_only_repository_is_deleted(
    call, admin, deployer, make_token, private_repo, grant, other_private_repo
):
    """Otherwise the empty limit would mean "every repository"."""
    grant(Role.DEPLOYER, user=deployer)
    token = make_token(deployer, repositories=[private_repo])
    assert call("DELETE", api(private_repo), f"Bearer {make_token(admin)}").status_code == 204
    assert call("GET", probe(other_private_repo, "read"), bearer(token)).status_code == 401
