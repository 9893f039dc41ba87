"""Hostile or broken archives are refused before anything is recorded."""

import io
import zipfile
from dataclasses import replace

import pytest

from formats.pypi import archives
from repository.models import Asset
from repository.refusals import Refusal
from tests.pypi.builders import core_metadata, make_wheel, tar_gz_bytes, zip_bytes


def wheel_with(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    base = make_wheel("tiny-pkg", "1.0")
    meta = {"tiny_pkg-1.0.dist-info/METADATA": core_metadata("tiny-pkg", "1.0")}
    return replace(base, data=zip_bytes({**meta, **members}, compression))


def sdist_with(members: dict[str, bytes], links=None, name="tiny_pkg-1.0.tar.gz"):
    from tests.pypi.builders import make_sdist

    return replace(make_sdist("tiny-pkg", "1.0"), filename=name, data=tar_gz_bytes(members, links))


def test_it_refuses_a_truncated_wheel(repo, upload, wheel):
    response = upload(repo, replace(wheel, data=wheel.data[: len(wheel.data) // 2]))
    assert response.status_code == 400
    assert "Invalid distribution file" in response.reason_phrase
    assert not Asset.objects.exists()


def test_it_refuses_a_wheel_without_metadata(repo, upload):
    dist = replace(make_wheel("tiny-pkg", "1.0"), data=zip_bytes({"tiny_pkg/__init__.py": b""}))
    response = upload(repo, dist)
    assert response.status_code == 400
    assert "exactly one .dist-info/METADATA" in response.reason_phrase


def test_it_refuses_a_zip_bomb_in_a_wheel(repo, upload, monkeypatch):
    monkeypatch.setattr(archives, "MIN_EXPANSION_ALLOWANCE", 1024**2)
    bomb = wheel_with({"tiny_pkg/zeros.bin": b"\0" * (1024**2 + 1)})
    response = upload(repo, bomb)
    assert response.status_code == 400
    assert "decompression bomb" in response.reason_phrase
    assert not Asset.objects.exists()


def test_it_refuses_a_metadata_file_too_large_to_be_real(repo, upload, monkeypatch):
    monkeypatch.setattr(archives, "MAX_METADATA_BYTES", 1000)
    huge = core_metadata("tiny-pkg", "1.0", description="x" * 2000)
    response = upload(repo, make_wheel("tiny-pkg", "1.0", metadata=huge))
    assert response.status_code == 400
    assert "too large" in response.reason_phrase


@pytest.mark.parametrize("member", ["../evil.py", "/etc/evil", "tiny_pkg/../../evil", "C:/evil"])
def test_it_refuses_a_wheel_with_an_escaping_member_path(repo, upload, member):
    response = upload(repo, wheel_with({member: b"x"}))
    assert response.status_code == 400
    assert "Unsafe path" in response.reason_phrase
    assert not Asset.objects.exists()


def test_it_refuses_an_sdist_with_an_escaping_member_path(repo, upload):
    dist = sdist_with(
        {"tiny_pkg-1.0/PKG-INFO": core_metadata("tiny-pkg", "1.0"), "../evil.py": b"x"}
    )
    response = upload(repo, dist)
    assert response.status_code == 400
    assert "Unsafe path" in response.reason_phrase


def test_it_refuses_an_sdist_with_a_link_out_of_the_tree(repo, upload):
    dist = sdist_with(
        {"tiny_pkg-1.0/PKG-INFO": core_metadata("tiny-pkg", "1.0")},
        links={"tiny_pkg-1.0/passwd": "../../etc/passwd"},
    )
    response = upload(repo, dist)
    assert response.status_code == 400
    assert "Unsafe link" in response.reason_phrase


def test_it_refuses_an_sdist_without_pkg_info(repo, upload):
    response = upload(repo, sdist_with({"tiny_pkg-1.0/setup.py": b""}))
    assert response.status_code == 400
    assert "no PKG-INFO" in response.reason_phrase


def test_it_reads_pkg_info_from_a_zip_sdist(repo, upload):
    dist = sdist_with({}, name="tiny_pkg-1.0.zip")
    dist = replace(dist, data=zip_bytes({"tiny_pkg-1.0/PKG-INFO": dist.metadata}))
    assert upload(repo, dist).status_code == 200


def test_it_stops_decompressing_a_gzip_bomb_at_the_allowance(monkeypatch):
    monkeypatch.setattr(archives, "MIN_EXPANSION_ALLOWANCE", 1024 * 1024)
    data = tar_gz_bytes({"x-1.0/zeros": b"\0" * (4 * 1024 * 1024)})
    with pytest.raises(Refusal, match="decompression bomb"):
        archives.read_core_metadata(io.BytesIO(data), "x-1.0.tar.gz", len(data), "x")


def test_it_refuses_a_gzip_file_that_is_not_gzip(repo, upload, sdist):
    response = upload(repo, replace(sdist, data=b"this is not gzip at all"))
    assert response.status_code == 400
    assert "Invalid distribution file" in response.reason_phrase
