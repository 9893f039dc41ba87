"""/ui/repositories/<name>/packages/<package>/: versions in the format's order, their files."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from repository.models import Package
from tests.ui.conftest import add_package, add_version, blob_for, client_for, table_rows


def version_headings(response) -> list[str]:
    return re.findall(r'<h3 id="version-\d+">([^<]+)</h3>', response.content.decode())


@pytest.fixture
def pypi_repository(make_repository):
    return make_repository("python", "pypi")


def test_it_orders_pypi_versions_by_pep_440_not_by_string(pypi_repository):
    add_package(pypi_repository, "tool", "1.9", "1.10", "1.2", "1.10rc1", "1.10.post1")
    response = client_for().get("/ui/repositories/python/packages/tool/")
    assert response.status_code == 200
    assert version_headings(response) == ["1.10.post1", "1.10", "1.10rc1", "1.9", "1.2"]


def test_it_orders_npm_versions_by_semver_not_by_string(make_repository):
    repository = make_repository("js", "npm")
    add_package(repository, "left-pad", "1.9.0", "1.10.0-beta.1", "1.10.0", "1.2.0")
    response = client_for().get("/ui/repositories/js/packages/left-pad/")
    assert version_headings(response) == ["1.10.0", "1.10.0-beta.1", "1.9.0", "1.2.0"]


def test_it_lists_each_versions_files_with_size_digest_and_native_download_link(
    pypi_repository,
):
    package = add_package(pypi_repository, "tool")
    add_version(package, "1.0", "tool-1.0-py3-none-any.whl", "tool-1.0.tar.gz")
    response = client_for().get("/ui/repositories/python/packages/tool/")
    body = response.content.decode()
    wheel = blob_for(b"tool-1.0-py3-none-any.whl")
    rows = table_rows(response)
    assert [row[:2] for row in rows] == [
        ["tool-1.0-py3-none-any.whl", f"{wheel.size} bytes"],
        ["tool-1.0.tar.gz", f"{len(b'tool-1.0.tar.gz')} bytes"],
    ]
    assert wheel.sha256 in rows[0][3]
    assert 'href="/repository/python/tool/tool-1.0-py3-none-any.whl"' in body
    assert f'data-copy="{wheel.sha256}"' in body


def test_it_marks_yanked_and_deprecated_versions_with_their_reasons(pypi_repository):
    package = add_package(pypi_repository, "tool", "1.0")
    add_version(package, "1.1", yanked=True, yanked_reason="broken wheel on Windows")
    add_version(package, "1.2", deprecated="use tool2 instead")
    body = client_for().get("/ui/repositories/python/packages/tool/").content.decode()
    assert "<strong>Yanked</strong>: broken wheel on Windows" in body
    assert "<strong>Deprecated</strong>: use tool2 instead" in body
    assert body.count('class="badge badge-yanked"') == 1
    assert body.count('class="badge badge-latest"') == 1
    assert re.search(
        r">1\.2</h3>\s*<span class=\"badges\">\s*<span class=\"badge badge-latest\">", body
    )


def test_it_escapes_what_uploaders_wrote(pypi_repository):
    package = add_package(pypi_repository, "tool")
    add_version(package, "1.0", yanked=True, yanked_reason="<script>alert(1)</script>")
    body = client_for().get("/ui/repositories/python/packages/tool/").content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_it_serves_scoped_npm_names_containing_a_slash(make_repository):
    repository = make_repository("js", "npm")
    add_package(repository, "@acme/widgets", "1.0.0")
    listing = client_for().get("/ui/repositories/js/").content.decode()
    assert 'href="/ui/repositories/js/packages/@acme/widgets/"' in listing
    page = client_for().get("/ui/repositories/js/packages/@acme/widgets/")
    assert page.status_code == 200
    assert version_headings(page) == ["1.0.0"]


def test_it_redirects_an_unnormalized_name_to_the_packages_page(pypi_repository):
    add_package(pypi_repository, "Zope.Interface", "6.0")
    response = client_for().get("/ui/repositories/python/packages/Zope_Interface/")
    assert response.status_code == 302
    assert response["Location"] == "/ui/repositories/python/packages/zope-interface/"


def test_it_answers_404_for_an_unknown_package(pypi_repository):
    assert client_for().get("/ui/repositories/python/packages/nope/").status_code == 404


def test_it_hides_a_private_repositorys_packages_from_anonymous_visitors_and_outsiders(
    make_repository, outsider, reader
):
    repository = make_repository("secret", "pypi", private=True)
    add_package(repository, "internal", "1.0")
    url = "/ui/repositories/secret/packages/internal/"
    assert client_for().get(url).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(reader).get(url).status_code == 200


def test_it_gives_the_format_partial_its_context(make_repository, plain_format):
    repository = make_repository("plain", plain_format.name)
    add_package(repository, "Thing", "1.2", "1.10")
    body = client_for().get("/ui/repositories/plain/packages/thing/").content.decode()
    assert (
        '<p id="package-partial">Thing newest=1.10 files=1 at http://testserver/repository/plain/'
        " in plain: hello from Thing</p>"
    ) in body


def test_it_renders_while_the_format_has_no_package_partial(make_repository, partial_less_format):
    repository = make_repository("plain", partial_less_format.name)
    add_package(repository, "thing", "1.0")
    response = client_for().get("/ui/repositories/plain/packages/thing/")
    assert response.status_code == 200
    assert version_headings(response) == ["1.0"]


def test_it_issues_the_same_queries_for_three_versions_as_for_thirty(make_repository, plain_format):
    repository = make_repository("plain", plain_format.name)
    small = add_package(repository, "small", *(f"1.{i}" for i in range(3)))
    big = add_package(repository, "big", *(f"1.{i}" for i in range(30)))
    for package in (small, big):
        add_version(package, "9.0", "a.whl", "b.whl", "c.tar.gz")
    client = client_for()
    counts = []
    for package in (small, big):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/ui/repositories/plain/packages/{package.name}/")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(version_headings(response)) == 25


def test_it_pages_long_version_lists(make_repository, plain_format):
    repository = make_repository("plain", plain_format.name)
    add_package(repository, "big", *(f"1.{i}" for i in range(30)))
    response = client_for().get("/ui/repositories/plain/packages/big/?page=2")
    assert version_headings(response) == [f"1.{i}" for i in range(4, -1, -1)]


def test_it_refuses_post(pypi_repository):
    Package.objects.create(repository=pypi_repository, name="tool", display_name="tool")
    assert client_for().post("/ui/repositories/python/packages/tool/").status_code == 405
