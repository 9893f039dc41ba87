"""Reading a wheel's METADATA from an upstream with range requests (PEP 658 for every
wheel): real wheels on pypiserver (ranges) and devpi (no ranges), and hostile zips."""

import io
import re
import zipfile

import pytest
from prometheus_client import REGISTRY

from repository.proxy.client import UpstreamClient
from repository.proxy.remotezip import RangesRefused, RemoteArchiveError, read_remote_member
from tests.proxy.helpers import settings_for

WHEELS = [
    "attrs-24.3.0-py3-none-any.whl",
    "idna-3.10-py3-none-any.whl",
    "packaging-24.2-py3-none-any.whl",
    "six-1.16.0-py2.py3-none-any.whl",
]


def metadata_member(infos: list[zipfile.ZipInfo]) -> zipfile.ZipInfo | None:
    """What PyPI will pick: the wheel's one .dist-info/METADATA."""
    found = [i for i in infos if re.fullmatch(r"[^/]+\.dist-info/METADATA", i.filename)]
    return found[0] if len(found) == 1 else None


def local_metadata(path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(metadata_member(archive.infolist()))


def fetched_bytes(label: str) -> float:
    return REGISTRY.get_sample_value("larder_proxy_upstream_bytes_total", {"repository": label})


def client_for(upstream, label: str) -> UpstreamClient:
    return UpstreamClient(settings_for(upstream.url + "/"), label=label)


@pytest.mark.parametrize("filename", WHEELS)
def test_it_reads_a_real_wheels_metadata_in_a_few_ranges(pypiserver, upstream_packages, filename):
    wheel = upstream_packages.python_file(filename)
    label = f"zip-{filename}"
    client = client_for(pypiserver, label)
    url = f"{pypiserver.url}/packages/{filename}"
    assert read_remote_member(client, url, metadata_member) == local_metadata(wheel)
    assert 1 <= pypiserver.front.requests(f"/packages/{filename}") <= 3
    assert all(r.startswith("bytes=") for r in pypiserver.front.ranges(f"/packages/{filename}"))
    assert fetched_bytes(label) <= min(wheel.stat().st_size, 128 * 1024)


def test_small_tails_take_more_ranges_and_read_the_same(pypiserver, upstream_packages):
    name = "packaging-24.2-py3-none-any.whl"
    client = client_for(pypiserver, "zip-small-tail")
    data = read_remote_member(
        client, f"{pypiserver.url}/packages/{name}", metadata_member, tail_bytes=2048
    )
    assert data == local_metadata(upstream_packages.python_file(name))
    assert pypiserver.front.requests(f"/packages/{name}") >= 2
    assert fetched_bytes("zip-small-tail") < upstream_packages.python_file(name).stat().st_size / 2


def _devpi_file_url(devpi, filename: str) -> str:
    import json
    import urllib.parse
    import urllib.request

    project = filename.split("-")[0]
    request = urllib.request.Request(
        f"{devpi.index_url}{project}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request) as response:
        files = {f["filename"]: f["url"] for f in json.load(response)["files"]}
    return urllib.parse.urljoin(f"{devpi.index_url}{project}/", files[filename])


def test_a_server_without_ranges_is_said_so_after_one_request(devpi, upstream_packages):
    url = _devpi_file_url(devpi, "packaging-24.2-py3-none-any.whl")
    client = client_for(devpi, "zip-devpi")
    with pytest.raises(RangesRefused):
        read_remote_member(client, url, metadata_member, tail_bytes=4096)
    assert devpi.front.requests("*/packaging-24.2-py3-none-any.whl") == 1
    assert fetched_bytes("zip-devpi") == 0  # the body was not read


def test_a_wheel_within_the_tail_comes_whole_from_a_server_without_ranges(devpi, upstream_packages):
    name = "packaging-24.2-py3-none-any.whl"
    data = read_remote_member(
        client_for(devpi, "zip-devpi-small"), _devpi_file_url(devpi, name), metadata_member
    )
    assert data == local_metadata(upstream_packages.python_file(name))


def test_a_front_that_drops_ranges_is_refused_too(pypiserver):
    pypiserver.front.fault(path="/packages/*", ignore_range=True)
    url = f"{pypiserver.url}/packages/packaging-24.2-py3-none-any.whl"
    with pytest.raises(RangesRefused):
        read_remote_member(
            client_for(pypiserver, "zip-dropped"), url, metadata_member, tail_bytes=4096
        )


def _zip(name: str, members: dict[str, bytes], tmp_path, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    path = tmp_path / name
    path.write_bytes(buffer.getvalue())
    return path


def _serve(pypiserver, path) -> str:
    pypiserver.seed(path)
    return f"{pypiserver.url}/packages/{path.name}"


def test_a_zip_bomb_is_refused_from_its_declared_size(pypiserver, tmp_path):
    bomb = _zip(
        "bomb-1.0-py3-none-any.whl",
        {"bomb-1.0.dist-info/METADATA": b"\0" * (20 * 1024**2), "bomb/__init__.py": b""},
        tmp_path,
    )
    with pytest.raises(RemoteArchiveError, match="declares 20971520 bytes"):
        read_remote_member(
            client_for(pypiserver, "zip-bomb"), _serve(pypiserver, bomb), metadata_member
        )
    assert fetched_bytes("zip-bomb") < 128 * 1024


def test_unsafe_member_names_are_refused(pypiserver, tmp_path):
    evil = _zip(
        "evil-1.0-py3-none-any.whl",
        {"evil-1.0.dist-info/METADATA": b"Name: evil\n", "../../etc/cron.d/evil": b"x"},
        tmp_path,
    )
    with pytest.raises(RemoteArchiveError, match="unsafe member name"):
        read_remote_member(client_for(pypiserver, "z"), _serve(pypiserver, evil), metadata_member)


def test_a_corrupted_member_fails_its_crc(pypiserver, tmp_path):
    good = _zip(
        "crc-1.0-py3-none-any.whl",
        {"crc-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: crc\n" * 50},
        tmp_path,
        compression=zipfile.ZIP_STORED,
    )
    data = bytearray(good.read_bytes())
    data[data.index(b"Name: crc") + 6] ^= 0x20  # one flipped letter in the member
    good.write_bytes(bytes(data))
    with pytest.raises(RemoteArchiveError, match="CRC"):
        read_remote_member(client_for(pypiserver, "z"), _serve(pypiserver, good), metadata_member)


def test_a_file_that_is_no_zip_is_refused(pypiserver, tmp_path):
    junk = tmp_path / "junk-1.0-py3-none-any.whl"
    junk.write_bytes(b"<html>not a wheel</html>" * 100)
    with pytest.raises(RemoteArchiveError, match="not a readable zip"):
        read_remote_member(client_for(pypiserver, "z"), _serve(pypiserver, junk), metadata_member)


def test_reading_is_bounded_by_its_budget(pypiserver):
    url = f"{pypiserver.url}/packages/packaging-24.2-py3-none-any.whl"
    with pytest.raises(RemoteArchiveError, match="more than 1000 bytes"):
        read_remote_member(client_for(pypiserver, "z"), url, metadata_member, budget=1000)


def test_no_member_picked_is_said_so(pypiserver):
    url = f"{pypiserver.url}/packages/idna-3.10-py3-none-any.whl"
    with pytest.raises(RemoteArchiveError, match="no such member"):
        read_remote_member(client_for(pypiserver, "z"), url, lambda infos: None)
