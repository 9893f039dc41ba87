"""GET /api/v1/repositories/: what the caller may read, filtered and paginated."""

import pytest

from tests.api.conftest import names

URL = "/api/v1/repositories/"


@pytest.fixture
def repositories(make_repository):
    make_repository("public-py", "pypi", description="Python wheels")
    make_repository("secret-npm", "npm", private=True)
    make_repository("files", "generic")


def test_it_lists_public_repositories_to_anonymous_callers(api, repositories):
    response = api("GET", URL)
    assert response.status_code == 200
    assert names(response) == ["files", "public-py"]


def test_it_adds_the_private_repositories_the_caller_may_read(api, reader, repositories):
    assert names(api("GET", URL, user=reader)) == ["files", "public-py", "secret-npm"]


def test_it_hides_private_repositories_from_outsiders(api, outsider, repositories):
    assert names(api("GET", URL, user=outsider)) == ["files", "public-py"]


def test_it_lists_everything_to_a_superuser(api, admin, repositories):
    assert api("GET", URL, user=admin).json()["count"] == 3


def test_it_describes_each_repository(api, repositories):
    row = api("GET", URL + "?name=public-py").json()["results"][0]
    assert row["format"] == "pypi"
    assert row["kind"] == "hosted"
    assert row["private"] is False
    assert row["anonymous_read"] is True
    assert row["repository_url"] == "http://testserver/repository/public-py/"
    assert row["url"] == "http://testserver/api/v1/repositories/public-py/"
    assert row["packages_url"] == "http://testserver/api/v1/repositories/public-py/packages/"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("format=npm", ["secret-npm"]),
        ("kind=hosted", ["files", "public-py", "secret-npm"]),
        ("name=files", ["files"]),
        ("search=wheels", ["public-py"]),
        ("search=SECRET", ["secret-npm"]),
    ],
)
def test_it_filters(api, admin, repositories, query, expected):
    assert names(api("GET", f"{URL}?{query}", user=admin)) == expected


def test_it_paginates_with_limit_and_offset(api, repositories):
    first = api("GET", URL + "?limit=1").json()
    assert first["count"] == 2
    assert [row["name"] for row in first["results"]] == ["files"]
    second = api("GET", first["next"].removeprefix("http://testserver")).json()
    assert [row["name"] for row in second["results"]] == ["public-py"]
    assert second["next"] is None
