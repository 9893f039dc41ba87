"""GET /api/v1/repositories/<name>/packages/ and .../packages/<package>/ (read-only)."""

import pytest

from repository.models import Package, Tag, Version
from tests.api.conftest import names


@pytest.fixture
def py(make_repository, add_file):
    repository = make_repository("py", "pypi", private=True)
    add_file(repository, "Django_Extensions", "3.0", "django_extensions-3.0.tar.gz")
    add_file(repository, "django_extensions", "3.1", "django_extensions-3.1.tar.gz")
    add_file(repository, "requests", "2.0", "requests-2.0.tar.gz")
    return repository


URL = "/api/v1/repositories/py/packages/"


def test_it_lists_packages_with_their_version_counts(api, reader, py):
    body = api("GET", URL, user=reader).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["name"] == "django-extensions"
    assert first["display_name"] == "Django_Extensions"
    assert first["version_count"] == 2
    assert first["versions_url"] == f"http://testserver{URL}django-extensions/versions/"


def test_it_filters_by_name_as_the_format_normalizes_it(api, reader, py):
    assert names(api("GET", URL + "?name=Django.Extensions", user=reader)) == ["django-extensions"]
    assert names(api("GET", URL + "?search=REQ", user=reader)) == ["requests"]


def test_it_paginates(api, reader, py):
    body = api("GET", URL + "?limit=1&offset=1", user=reader).json()
    assert (body["count"], names_of(body)) == (2, ["requests"])
    assert body["previous"] is not None


def names_of(body) -> list[str]:
    return [row["name"] for row in body["results"]]


def test_it_shows_one_package_by_any_spelling_of_its_name(api, reader, py):
    response = api("GET", URL + "Django.Extensions/", user=reader)
    assert response.status_code == 200
    assert response.json()["name"] == "django-extensions"


def test_it_shows_tags_and_metadata(api, make_repository, add_file):
    repository = make_repository("js", "npm")
    asset = add_file(repository, "@acme/widget", "1.0.0", "widget-1.0.0.tgz")
    Package.objects.filter(pk=asset.package_id).update(metadata={"description": "Widgets"})
    Tag.objects.create(package=asset.package, name="latest", version=asset.version)
    body = api("GET", "/api/v1/repositories/js/packages/@acme/widget/").json()
    assert body["tags"] == {"latest": "1.0.0"}
    assert body["metadata"] == {"description": "Widgets"}
    assert body["url"] == "http://testserver/api/v1/repositories/js/packages/@acme/widget/"
    encoded = api("GET", "/api/v1/repositories/js/packages/@acme%2fwidget/")
    assert encoded.status_code == 200


def test_it_answers_404_for_an_unknown_package(api, reader, py):
    response = api("GET", URL + "flask/", user=reader)
    assert response.status_code == 404
    assert response.json()["detail"] == "no package named flask in repository py"


def test_it_asks_anonymous_callers_and_hides_from_outsiders(api, outsider, py):
    assert api("GET", URL).status_code == 401
    assert api("GET", URL + "requests/").status_code == 401
    assert api("GET", URL, user=outsider).status_code == 404


def test_it_is_read_only(api, admin, py):
    assert api("POST", URL, user=admin, body={"name": "x"}).status_code == 405
    assert api("DELETE", URL + "requests/", user=admin).status_code == 405
    assert Version.objects.count() == 3
