"""A generic group: the first member that has a path serves it; folders are merged."""

import pytest

from repository.models import Asset
from tests.groups.conftest import DEPLOYER, reorder


@pytest.fixture
def group(make_repository, make_group):
    make_repository("builds", "generic")
    make_repository("vendor", "generic")
    return make_group("files", "generic", ["builds", "vendor"], write_to="builds")


def put(client, repository: str, path: str, data: bytes):
    response = client.put(
        f"/repository/{repository}/{path}",
        data,
        content_type="application/octet-stream",
        HTTP_AUTHORIZATION=DEPLOYER,
    )
    assert response.status_code in (200, 201), response.content
    return response


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_first_member_with_the_path_serves_it(group, client):
    put(client, "builds", "tool/1.0/tool.tgz", b"ours")
    put(client, "vendor", "tool/1.0/tool.tgz", b"theirs")
    put(client, "vendor", "lib/1.0/lib.tgz", b"vendor only")
    assert body(client.get("/repository/files/tool/1.0/tool.tgz")) == b"ours"
    assert body(client.get("/repository/files/lib/1.0/lib.tgz")) == b"vendor only"
    reorder(group, ["vendor", "builds"])
    assert body(client.get("/repository/files/tool/1.0/tool.tgz")) == b"theirs"


def test_folder_listings_merge_the_members(group, client):
    put(client, "builds", "tool/1.0/tool.tgz", b"ours")
    put(client, "vendor", "lib/1.0/lib.tgz", b"vendor")
    listing = client.get("/repository/files/", HTTP_ACCEPT="application/json").json()
    assert [folder["name"] for folder in listing["folders"]] == ["lib", "tool"]
    assert listing["url"] == "http://testserver/repository/files/"


def test_an_upload_to_the_group_lands_in_its_write_member(group, client):
    response = put(client, "files", "tool/2.0/tool.tgz", b"new")
    assert response["Location"] == "http://testserver/repository/files/tool/2.0/tool.tgz"
    assert Asset.objects.get().repository.name == "builds"
