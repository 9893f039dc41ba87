"""/ui/repositories/<name>/: packages with search and pages, loose files, client configuration."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from repository.models import Asset, Package, Version
from tests.ui.conftest import add_package, add_version, blob_for, client_for, table_rows


@pytest.fixture
def pypi_repository(make_repository):
    return make_repository("python", "pypi")


def without_csrf_token(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def package_names(response) -> list[str]:
    return [row[0] for row in table_rows(response)]


def test_it_lists_a_public_repositorys_packages_to_anyone(pypi_repository):
    add_package(pypi_repository, "Requests", "2.0")
    add_package(pypi_repository, "attrs", "23.1")
    response = client_for().get("/ui/repositories/python/")
    assert response.status_code == 200
    assert package_names(response) == ["attrs", "Requests"]
    assert 'href="/ui/repositories/python/packages/requests/"' in response.content.decode()


@pytest.mark.parametrize("visitor", [None, "outsider"])
def test_it_answers_404_for_a_private_repository_exactly_as_for_a_missing_one(
    make_repository, outsider, visitor
):
    make_repository("secret", "pypi", private=True)
    client = client_for(outsider if visitor else None)
    private = client.get("/ui/repositories/secret/")
    missing = client.get("/ui/repositories/nothing-here/")
    assert private.status_code == missing.status_code == 404
    assert b"secret" not in private.content.replace(b"/ui/repositories/secret/", b"")
    assert without_csrf_token(
        private.content.replace(b"secret", b"nothing-here")
    ) == without_csrf_token(missing.content)


def test_it_offers_anonymous_visitors_a_login_that_returns_them_to_the_page(make_repository):
    make_repository("secret", "pypi", private=True)
    body = client_for().get("/ui/repositories/secret/").content.decode()
    assert 'href="/login/?next=/ui/repositories/secret/"' in body


def test_it_shows_a_private_repository_to_its_reader(make_repository, reader):
    repository = make_repository("secret", "pypi", private=True)
    add_package(repository, "internal-tool", "1.0")
    response = client_for(reader).get("/ui/repositories/secret/")
    assert response.status_code == 200
    assert package_names(response) == ["internal-tool"]


def test_it_searches_names_and_display_names_ignoring_case(pypi_repository):
    add_package(pypi_repository, "Django_REST_Framework", "3.15")
    add_package(pypi_repository, "django-filter", "24.1")
    add_package(pypi_repository, "flask", "3.0")
    client = client_for()
    assert package_names(client.get("/ui/repositories/python/?q=DJANGO")) == [
        "django-filter",
        "Django_REST_Framework",
    ]
    assert package_names(client.get("/ui/repositories/python/?q=rest_framework")) == [
        "Django_REST_Framework"
    ]
    body = client.get("/ui/repositories/python/?q=zzz").content.decode()
    assert "No packages match “zzz”" in body


def test_it_pages_long_lists_and_keeps_the_search_in_page_links(pypi_repository):
    Package.objects.bulk_create(
        Package(repository=pypi_repository, name=f"pkg-{i:03}", display_name=f"pkg-{i:03}")
        for i in range(60)
    )
    client = client_for()
    first = client.get("/ui/repositories/python/?q=pkg")
    assert len(package_names(first)) == 50
    assert 'href="?q=pkg&amp;page=2"' in first.content.decode()
    second = client.get("/ui/repositories/python/?q=pkg&page=2")
    assert package_names(second) == [f"pkg-{i:03}" for i in range(50, 60)]
    assert "Page 2 of 2" in second.content.decode()


def test_it_headlines_the_newest_stable_version_by_the_formats_order(pypi_repository):
    package = add_package(pypi_repository, "tool", "1.9", "1.10", "2.0rc1")
    add_version(package, "1.11", yanked=True)
    [row] = table_rows(client_for().get("/ui/repositories/python/"))
    assert row[:3] == ["tool", "1.10", "4"]


def test_it_lists_files_that_belong_to_no_package_with_download_links(make_repository):
    repository = make_repository("files", "generic")
    for path in ("builds/app #1.zip", "docs/readme.txt"):
        Asset.objects.create(
            repository=repository, path=path, blob=blob_for(path.encode()), filename=path
        )
    response = client_for().get("/ui/repositories/files/")
    body = response.content.decode()
    sha256 = blob_for(b"docs/readme.txt").sha256
    assert [row[0] for row in table_rows(response)] == ["builds/app #1.zip", "docs/readme.txt"]
    assert 'href="/repository/files/builds/app%20%231.zip"' in body
    assert sha256 in body
    assert 'href="/repository/files/"' in body
    assert "Packages" not in body
    searched = client_for().get("/ui/repositories/files/?q=README")
    assert [row[0] for row in table_rows(searched)] == ["docs/readme.txt"]


def test_it_includes_the_formats_usage_partial_with_the_repository_url(
    make_repository, plain_format
):
    make_repository("plain", plain_format.name)
    body = client_for().get("/ui/repositories/plain/").content.decode()
    assert '<p id="usage-partial">plain lives at http://testserver/repository/plain/</p>' in body


def test_it_shows_the_repository_url_while_the_format_has_no_usage_partial(
    make_repository, partial_less_format
):
    make_repository("plain", partial_less_format.name)
    response = client_for().get("/ui/repositories/plain/")
    assert response.status_code == 200
    assert (
        "<pre><code>http://testserver/repository/plain/</code></pre>" in response.content.decode()
    )


def test_it_refuses_post(pypi_repository):
    assert client_for().post("/ui/repositories/python/").status_code == 405


def test_it_searches_files_by_path_in_a_repository_without_packages(make_repository):
    repository = make_repository("files", "generic")
    Asset.objects.create(repository=repository, path="a.txt", blob=blob_for(b"a"), filename="a")
    body = client_for().get("/ui/repositories/files/?q=zzz").content.decode()
    assert 'placeholder="Search files by path"' in body
    assert "No files match “zzz”" in body
    assert "Packages" not in body


def test_it_offers_no_search_in_an_empty_repository(pypi_repository):
    body = client_for().get("/ui/repositories/python/").content.decode()
    assert 'role="search"' not in body
    assert "No packages yet" in body


def test_it_dates_packages_by_their_newest_version(pypi_repository):
    package = add_package(pypi_repository, "tool", "1.0")
    Version.objects.filter(package=package).update(created=timezone.now() - timedelta(days=3))
    client = client_for()
    assert table_rows(client.get("/ui/repositories/python/"))[0][3] == "3 days ago"
    add_version(package, "1.1")
    assert table_rows(client.get("/ui/repositories/python/"))[0][3] == "now"
