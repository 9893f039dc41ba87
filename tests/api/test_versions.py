"""GET .../packages/<package>/versions/: newest first in the format's order, with files;
PATCH one to yank it (maintainers)."""

import pytest

from repository.models import AuditEvent, Version

URL = "/api/v1/repositories/py/packages/demo/versions/"


@pytest.fixture
def py(make_repository, add_file):
    repository = make_repository("py", "pypi")
    for version in ["1.9", "1.10", "2.0rc1", "1.2"]:
        add_file(repository, "demo", version, f"demo-{version}.tar.gz")
    Version.objects.filter(version="1.2").update(yanked=True, yanked_reason="broken")
    return repository


def versions(response) -> list[str]:
    return [row["version"] for row in response.json()["results"]]


def test_it_orders_versions_by_the_formats_rules_not_as_strings(api, py):
    assert versions(api("GET", URL)) == ["2.0rc1", "1.10", "1.9", "1.2"]


def test_it_shows_files_and_state_of_each_version(api, py):
    newest, *_, yanked = api("GET", URL).json()["results"]
    assert newest["is_prerelease"] is True
    assert (yanked["yanked"], yanked["yanked_reason"]) == (True, "broken")
    (asset,) = newest["assets"]
    assert asset["filename"] == "demo-2.0rc1.tar.gz"
    assert asset["size"] == len(b"demo-2.0rc1.tar.gz")
    assert asset["download_url"] == "http://testserver/repository/py/demo/2.0rc1/demo-2.0rc1.tar.gz"


def test_it_paginates_in_that_order(api, py):
    first = api("GET", URL + "?limit=2")
    assert versions(first) == ["2.0rc1", "1.10"]
    assert first.json()["count"] == 4
    assert versions(api("GET", URL + "?limit=2&offset=2")) == ["1.9", "1.2"]


def test_it_filters_by_yanked_and_version(api, py):
    assert versions(api("GET", URL + "?yanked=true")) == ["1.2"]
    assert versions(api("GET", URL + "?yanked=false&limit=1")) == ["2.0rc1"]
    assert versions(api("GET", URL + "?version=1.10")) == ["1.10"]


def test_it_shows_one_version_with_its_metadata(api, py):
    Version.objects.filter(version="1.9").update(metadata={"summary": "Demo"})
    body = api("GET", URL + "1.9/").json()
    assert body["metadata"] == {"summary": "Demo"}
    assert body["url"] == f"http://testserver{URL}1.9/"
    assert [asset["filename"] for asset in body["assets"]] == ["demo-1.9.tar.gz"]


def test_it_answers_404_for_unknown_versions_and_packages(api, py):
    assert api("GET", URL + "9.9/").status_code == 404
    missing = "/api/v1/repositories/py/packages/nope/versions/"
    assert api("GET", missing).status_code == 404


def test_it_hides_private_versions(api, outsider, make_repository, add_file):
    repository = make_repository("secret", "pypi", private=True)
    add_file(repository, "demo", "1.0", "demo-1.0.tar.gz")
    url = "/api/v1/repositories/secret/packages/demo/versions/"
    assert api("GET", url).status_code == 401
    assert api("GET", url, user=outsider).status_code == 404
    assert api("POST", url, user=outsider).status_code == 404


def test_it_takes_no_writes_but_yanks_and_deletion(api, admin, py):
    assert api("PUT", URL + "1.9/", user=admin, body={}).status_code == 405
    assert api("POST", URL, user=admin, body={}).status_code == 405


def test_a_maintainer_yanks_and_unyanks_a_version(
    api, make_repository, add_file, maintainer, deployer
):
    repository = make_repository("py", "pypi")
    add_file(repository, "demo", "1.0", "demo-1.0.tar.gz")
    url = "/api/v1/repositories/py/packages/demo/versions/1.0/"
    refused = api("PATCH", url, user=deployer, body={"yanked": True})
    assert refused.status_code == 403
    assert "maintainer" in refused.json()["detail"]
    response = api("PATCH", url, user=maintainer, body={"yanked": True, "yanked_reason": "broken"})
    assert response.status_code == 200
    assert (response.json()["yanked"], response.json()["yanked_reason"]) == (True, "broken")
    assert (
        api("GET", "/repository/py/simple/demo/").content.decode().count('data-yanked="broken"')
        == 1
    )
    api("PATCH", url, user=maintainer, body={"yanked": False})
    assert not Version.objects.get().yanked
    assert AuditEvent.objects.filter(action="version.yank", actor_name="maintainer").exists()
    assert AuditEvent.objects.filter(action="version.unyank").exists()
