"""/ : the repositories a visitor may browse, with their format, kind, access, counts, size."""

import re

from repository.models import Asset, RepositoryRole, Role
from tests.ui.conftest import add_package, add_version, blob_for, client_for, table_rows


def listed_names(response) -> list[str]:
    return re.findall(r'href="/ui/repositories/([^/"]+)/"', response.content.decode())


def test_it_lists_only_public_repositories_to_anonymous_visitors(make_repository):
    make_repository("public-py", "pypi")
    make_repository("secret-py", "pypi", private=True)
    response = client_for().get("/")
    assert response.status_code == 200
    assert listed_names(response) == ["public-py"]
    assert "secret-py" not in response.content.decode()


def test_it_lists_private_repositories_to_users_granted_them(make_repository, reader):
    make_repository("public-py", "pypi")
    make_repository("secret-py", "pypi", private=True)
    assert listed_names(client_for(reader).get("/")) == ["public-py", "secret-py"]


def test_it_hides_private_repositories_from_outsiders(make_repository, outsider):
    make_repository("public-py", "pypi")
    make_repository("secret-py", "pypi", private=True)
    assert listed_names(client_for(outsider).get("/")) == ["public-py"]


def test_it_lists_everything_to_a_global_grant_and_to_admins(make_repository, outsider, admin):
    make_repository("secret-py", "pypi", private=True)
    RepositoryRole.objects.create(user=outsider, role=Role.READER)
    assert listed_names(client_for(outsider).get("/")) == ["secret-py"]
    assert listed_names(client_for(admin).get("/")) == ["secret-py"]


def test_it_shows_format_kind_access_package_count_and_size(make_repository):
    repository = make_repository("npm-hosted", "npm")
    make_repository("files", "generic", private=False)
    package = add_package(repository, "left-pad", "1.0.0")
    add_version(package, "1.1.0", "left-pad-1.1.0.tgz")
    add_package(repository, "right-pad")
    response = client_for().get("/")
    stored = len(b"left-pad-1.0.0.tar.gz") + len(b"left-pad-1.1.0.tgz")
    assert table_rows(response) == [
        ["files", "Generic", "Hosted", "Public", "Empty", "0 bytes"],
        ["npm-hosted", "npm", "Hosted", "Public", "2 packages", f"{stored} bytes"],
    ]


def test_it_counts_the_files_of_a_flat_generic_repository(make_repository):
    """Its uploads belong to no package: "0 packages" beside their size would be wrong."""
    repository = make_repository("files", "generic")
    for path in ("releases/app-1.0.tar.gz", "releases/app-1.1.tar.gz", "notes.txt"):
        Asset.objects.create(repository=repository, path=path, blob=blob_for(path.encode()))
    [row] = table_rows(client_for().get("/"))
    assert row[4:] == ["3 files", "55 bytes"]


def test_it_counts_packages_and_files_side_by_side(make_repository):
    repository = make_repository("builds", "generic")
    add_package(repository, "tool", "1.0")
    Asset.objects.create(repository=repository, path="notes.txt", blob=blob_for(b"notes"))
    [row] = table_rows(client_for().get("/"))
    assert row[4] == "1 package, 1 file"


def test_it_counts_each_repository_on_its_own(make_repository):
    first = make_repository("one", "pypi")
    second = make_repository("two", "pypi")
    add_package(first, "a", "1.0", "2.0")
    add_package(second, "b", "1.0")
    add_package(second, "c")
    rows = client_for().get("/").context["repositories"]
    assert [(r.name, r.package_count, r.total_size > 0) for r in rows] == [
        ("one", 1, True),
        ("two", 2, True),
    ]


def test_it_invites_anonymous_visitors_to_log_in_when_nothing_is_public(make_repository):
    make_repository("secret-py", "pypi", private=True)
    body = client_for().get("/").content.decode()
    assert "No repositories to show" in body
    assert 'href="/login/"' in body


def test_it_refuses_post(db):
    assert client_for().post("/").status_code == 405
