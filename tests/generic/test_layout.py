"""The name/version/file layout: uploads record packages and versions; other paths are 400."""

import pytest

from repository.formats import get_format
from repository.models import Asset, Package, Version


def test_it_validates_the_layout_setting():
    generic = get_format("generic")
    assert generic.validate_settings("hosted", {}) == {"layout": "flat"}
    assert generic.validate_settings("hosted", {"layout": "name/version/file"}) == {
        "layout": "name/version/file"
    }
    with pytest.raises(ValueError, match="layout must be one of flat, name/version/file"):
        generic.validate_settings("hosted", {"layout": "maven"})


def test_it_records_the_package_and_version_of_an_upload(layout_repo, put, deployer):
    assert put(layout_repo, "tool/1.2.0/tool-linux.tgz", b"linux").status_code == 201
    asset = Asset.objects.select_related("package", "version").get()
    assert asset.package.name == "tool"
    assert asset.package.repository == layout_repo
    assert asset.version.version == "1.2.0"
    assert asset.version.uploader == deployer
    assert asset.filename == "tool-linux.tgz"


def test_it_adds_files_to_the_same_version(layout_repo, put):
    put(layout_repo, "tool/1.2.0/tool-linux.tgz", b"linux")
    put(layout_repo, "tool/1.2.0/tool-mac.tgz", b"mac")
    put(layout_repo, "tool/1.10.0/tool-linux.tgz", b"newer")
    assert Package.objects.count() == 1
    version = Version.objects.get(version="1.2.0")
    assert sorted(version.assets.values_list("filename", flat=True)) == [
        "tool-linux.tgz",
        "tool-mac.tgz",
    ]


def test_it_accepts_folders_inside_a_version(layout_repo, put):
    assert put(layout_repo, "tool/1.0/linux/amd64/tool", b"bin").status_code == 201
    asset = Asset.objects.get()
    assert (asset.version.version, asset.filename) == ("1.0", "tool")


@pytest.mark.parametrize("path", ["loose.txt", "tool/only-two.tgz"])
def test_it_refuses_a_path_outside_the_layout_with_400(layout_repo, put, path):
    response = put(layout_repo, path, b"x")
    assert response.status_code == 400
    assert "<name>/<version>/<file>" in response.content.decode()
    assert not Asset.objects.exists()
    assert not Package.objects.exists()


def test_it_refuses_a_version_longer_than_versions_may_be(layout_repo, put):
    response = put(layout_repo, f"tool/{'9' * 129}/a.tgz", b"x")
    assert response.status_code == 400
    assert not Package.objects.exists()


def test_it_records_no_package_when_the_checksum_is_wrong(layout_repo, put):
    response = put(layout_repo, "tool/1.0/a.tgz", b"x", HTTP_X_CHECKSUM_SHA1="0" * 40)
    assert response.status_code == 400
    assert not Package.objects.exists()
    assert not Version.objects.exists()


def test_it_keeps_flat_repositories_free_of_packages(repo, put):
    put(repo, "tool/1.0/a.tgz", b"x")
    assert Asset.objects.get().package is None
    assert not Package.objects.exists()


def test_it_lists_layout_repositories_as_folders(layout_repo, put, get):
    put(layout_repo, "tool/1.0/a.tgz", b"x")
    put(layout_repo, "tool/2.0/a.tgz", b"y")
    listing = get(layout_repo, "tool/", HTTP_ACCEPT="application/json").json()
    assert [folder["name"] for folder in listing["folders"]] == ["1.0", "2.0"]


def test_it_orders_versions_naturally():
    generic = get_format("generic")
    ordered = sorted(["1.10.0", "1.9.0", "1.2.0", "10.0"], key=generic.version_key)
    assert ordered == ["1.2.0", "1.9.0", "1.10.0", "10.0"]
