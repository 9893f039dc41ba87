"""A PyPI group: one index for its members' projects, the first member winning a file."""

from urllib.parse import urljoin

import pytest

from repository.models import Asset, Repository
from repository.services.repositories import update_repository
from tests.conftest import PASSWORD, basic_auth
from tests.groups.conftest import DEPLOYER, mirror_wheel, reorder
from tests.pypi.builders import make_wheel
from tests.pypi.conftest import form_for

JSON = "application/vnd.pypi.simple.v1+json"


@pytest.fixture
def members(make_repository):
    return make_repository("internal", "pypi"), make_repository("extra", "pypi")


@pytest.fixture
def group(members, make_group):
    return make_group("all", "pypi", ["internal", "extra"], write_to="internal")


def page(client, project: str, **headers) -> dict:
    response = client.get(f"/repository/all/simple/{project}/", HTTP_ACCEPT=JSON, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def filenames(document: dict) -> list[str]:
    return [entry["filename"] for entry in document["files"]]


def test_a_project_page_is_the_union_of_the_members_files(group, upload_wheel, client):
    upload_wheel("internal", "demo", "1.0")
    upload_wheel("extra", "demo", "2.0")
    document = page(client, "demo")
    assert filenames(document) == ["demo-1.0-py3-none-any.whl", "demo-2.0-py3-none-any.whl"]
    assert document["versions"] == ["1.0", "2.0"]


def test_files_and_their_pep_658_metadata_download_through_the_group(group, upload_wheel, client):
    wheel = upload_wheel("extra", "demo", "2.0")
    entry = page(client, "demo")["files"][0]
    url = urljoin("/repository/all/simple/demo/", entry["url"])
    downloaded = client.get(url)
    assert downloaded.status_code == 200
    assert b"".join(downloaded.streaming_content) == wheel.data
    metadata = client.get(url + ".metadata")
    assert metadata.status_code == 200
    assert entry["core-metadata"]["sha256"] == metadata["X-Checksum-Sha256"]


def test_the_first_member_wins_a_filename_several_have_and_order_changes_the_winner(group, client):
    internal, extra = (Repository.objects.get(name=n) for n in ("internal", "extra"))
    filename = "demo-1.0-py3-none-any.whl"
    mirror_wheel(internal, "demo", "1.0", filename, b"internal bytes")
    mirror_wheel(extra, "demo", "1.0", filename, b"extra bytes")
    [entry] = page(client, "demo")["files"]
    assert entry["hashes"]["sha256"] == Asset.objects.get(repository=internal).blob_id
    reorder(group, ["extra", "internal"])
    [entry] = page(client, "demo")["files"]
    assert entry["hashes"]["sha256"] == Asset.objects.get(repository=extra).blob_id
    download = client.get(f"/repository/all/files/demo/1.0/{filename}")
    assert b"".join(download.streaming_content) == b"extra bytes"


def test_the_project_list_is_the_union_of_the_members_lists(group, upload_wheel, client):
    upload_wheel("internal", "alpha", "1.0")
    upload_wheel("extra", "beta", "1.0")
    response = client.get("/repository/all/simple/", HTTP_ACCEPT=JSON)
    assert [project["name"] for project in response.json()["projects"]] == ["alpha", "beta"]


def test_a_publish_to_a_member_is_seen_through_the_group_at_once(group, upload_wheel, client):
    upload_wheel("extra", "demo", "1.0")
    assert page(client, "demo")["versions"] == ["1.0"]
    upload_wheel("internal", "demo", "1.1")
    assert page(client, "demo")["versions"] == ["1.0", "1.1"]


def test_an_upload_to_the_group_lands_in_its_write_member(group, client):
    wheel = make_wheel("demo", "3.0")
    response = client.post("/repository/all/legacy/", form_for(wheel), HTTP_AUTHORIZATION=DEPLOYER)
    assert response.status_code == 200, response.content
    assert Asset.objects.get(filename=wheel.filename).repository.name == "internal"


def test_uploading_through_the_group_needs_the_write_members_role(group, make_user, client):
    """Reading the group is not enough; its grants are the write member's."""
    make_user("visitor")
    wheel = make_wheel("demo", "3.0")
    response = client.post(
        "/repository/all/legacy/",
        form_for(wheel),
        HTTP_AUTHORIZATION=basic_auth("visitor", PASSWORD),
    )
    assert response.status_code == 403
    assert "internal" in response.reason_phrase


def test_a_private_member_shows_only_to_those_who_may_read_it(
    make_repository, make_group, upload_wheel, client
):
    make_repository("public-one", "pypi")
    make_repository("private-one", "pypi", private=True)
    make_group("mixed", "pypi", ["public-one", "private-one"])
    upload_wheel("public-one", "demo", "1.0")
    upload_wheel("private-one", "demo", "9.0")
    anonymous = client.get("/repository/mixed/simple/demo/", HTTP_ACCEPT=JSON).json()
    assert anonymous["versions"] == ["1.0"]
    assert (
        client.get("/repository/mixed/files/demo/9.0/demo-9.0-py3-none-any.whl").status_code == 404
    )
    reader = client.get(
        "/repository/mixed/simple/demo/",
        HTTP_ACCEPT=JSON,
        HTTP_AUTHORIZATION=basic_auth("reader", PASSWORD),
    )
    assert reader.json()["versions"] == ["1.0", "9.0"]
    assert reader["Cache-Control"].startswith("private")  # never kept by a shared cache


def test_a_hosted_name_shields_a_proxy_members_higher_version(
    make_repository, make_group, upload_wheel, client
):
    """Dependency confusion: `corp-utils 99.0` upstream never shadows the internal one."""
    make_repository("corp", "pypi")
    mirror = make_repository("mirror", "pypi", kind="proxy")
    make_group("safe", "pypi", ["corp", "mirror"])
    upload_wheel("corp", "corp-utils", "1.0")
    mirror_wheel(mirror, "corp-utils", "99.0", "corp_utils-99.0-py3-none-any.whl", b"evil")
    mirror_wheel(mirror, "requests", "2.0", "requests-2.0-py3-none-any.whl", b"public")
    shielded = client.get("/repository/safe/simple/corp-utils/", HTTP_ACCEPT=JSON).json()
    assert shielded["versions"] == ["1.0"]
    evil = "/repository/safe/files/corp-utils/99.0/corp_utils-99.0-py3-none-any.whl"
    assert client.get(evil).status_code == 404
    assert client.get("/repository/safe/simple/requests/", HTTP_ACCEPT=JSON).json()["versions"] == [
        "2.0"
    ]


def test_the_shield_can_be_turned_off(make_repository, make_group, upload_wheel, client):
    make_repository("corp", "pypi")
    mirror = make_repository("mirror", "pypi", kind="proxy")
    make_group("open", "pypi", ["corp", "mirror"], shield=False)
    upload_wheel("corp", "corp-utils", "1.0")
    mirror_wheel(mirror, "corp-utils", "99.0", "corp_utils-99.0-py3-none-any.whl", b"x")
    merged = client.get("/repository/open/simple/corp-utils/", HTTP_ACCEPT=JSON).json()
    assert merged["versions"] == ["1.0", "99.0"]


def test_claimed_names_never_come_from_a_proxy_member(make_repository, make_group, client):
    make_repository("corp", "pypi")
    mirror = make_repository("mirror", "pypi", kind="proxy")
    make_group("claims", "pypi", ["corp", "mirror"], claims=["corp-*"])
    mirror_wheel(mirror, "corp-tools", "1.0", "corp_tools-1.0-py3-none-any.whl", b"x")
    assert client.get("/repository/claims/simple/corp-tools/").status_code == 404


def test_pep_708_tracks_and_alternate_locations_as_configured(group, upload_wheel, client):
    upload_wheel("internal", "demo", "1.0")
    tracked = "https://upstream.example/simple/demo/"
    other = "https://other.example/simple/demo/"
    pep708 = {"Demo": {"tracks": [tracked], "alternate-locations": [other]}}
    update_repository(group, settings={**group.settings, "pep708": pep708})
    document = page(client, "demo")
    assert document["meta"] == {"api-version": "1.2", "tracks": [tracked]}
    assert document["alternate-locations"] == [other]
    html = client.get("/repository/all/simple/demo/", HTTP_ACCEPT="text/html").content.decode()
    assert f'<meta name="pypi:tracks" content="{tracked}">' in html
    assert f'<meta name="pypi:alternate-locations" content="{other}">' in html
