"""Non-normalized names and URLs without the slash redirect (301) to the normalized URL."""

import pytest


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("simple", "simple/"),
        ("simple/Tiny_Pkg/", "simple/tiny-pkg/"),
        ("simple/tiny-pkg", "simple/tiny-pkg/"),
        ("simple/TINY.PKG", "simple/tiny-pkg/"),
        ("simple/tiny--_pkg/", "simple/tiny-pkg/"),
    ],
)
def test_it_redirects_to_the_normalized_slashed_url(repo, client, path, location):
    response = client.get(f"/repository/py/{path}")
    assert response.status_code == 301
    assert response["Location"] == f"http://testserver/repository/py/{location}"


def test_it_keeps_the_query_string_when_redirecting(repo, client):
    response = client.get("/repository/py/simple/Tiny_Pkg/?format=application/json")
    assert response["Location"].endswith("/simple/tiny-pkg/?format=application/json")


def test_it_asks_for_credentials_before_redirecting_on_a_private_repository(private_repo, client):
    assert client.get("/repository/secret/simple/Tiny_Pkg/").status_code == 401
