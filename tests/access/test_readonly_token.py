"""A read-only token reads what its owner may read and never writes, whoever the owner is."""

from tests.access.conftest import api, bearer, probe


def test_it_reads_with_a_readonly_token(call, deployer, make_token, private_repo):
    token = make_token(deployer, readonly=True)
    assert call("GET", probe(private_repo, "read"), bearer(token)).status_code == 200
    assert call("GET", probe(private_repo, "read-write"), bearer(token)).status_code == 200


def test_it_refuses_writes_through_the_dispatcher(call, deployer, make_token, private_repo):
    token = make_token(deployer, readonly=True)
    for view, method in [("write", "PUT"), ("read-write", "POST"), ("write", "DELETE")]:
        response = call(method, probe(private_repo, view), bearer(token))
        assert response.status_code == 403, (view, method)
        assert "may not write" in response.json()["probe_error"]


def test_it_refuses_api_changes_even_for_a_superusers_token(call, admin, make_token, private_repo):
    token = make_token(admin, readonly=True)
    response = call("PATCH", api(private_repo), bearer(token))
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert call("DELETE", api(private_repo), bearer(token)).status_code == 403
    assert call("POST", "/api/v1/repositories/", bearer(token)).status_code == 403
    assert call("POST", probe(private_repo, "write"), bearer(token)).status_code == 403


def test_it_lets_the_same_user_write_with_a_full_token(call, deployer, make_token, private_repo):
    token = make_token(deployer)
    assert call("PUT", probe(private_repo, "write"), bearer(token)).status_code == 200
