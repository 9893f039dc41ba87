"""devpi-server as a PyPI upstream with PEP 691 JSON and PEP 658 metadata files."""

import json
import urllib.parse
import urllib.request
import zipfile

import pytest

from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e

JSON = "application/vnd.pypi.simple.v1+json"


def _project(devpi, name: str) -> dict:
    request = urllib.request.Request(devpi.index_url + name + "/", headers={"Accept": JSON})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"].startswith(JSON)
        return json.load(response)


def test_pip_installs_a_real_wheel_from_it(devpi, tmp_path):
    target = tmp_path / "target"
    Clients(tmp_path).pip_install(devpi.index_url, "idna==3.10", target)
    assert (target / "idna" / "__init__.py").is_file()
    assert devpi.front.requests("*/+simple/idna/") == 1
    assert devpi.front.requests("*/idna-3.10-py3-none-any.whl") == 1


def test_it_answers_pep_691_json_with_hashes_and_core_metadata(devpi, upstream_packages):
    project = _project(devpi, "six")
    files = {item["filename"]: item for item in project["files"]}
    assert set(files) == {
        "six-1.16.0.tar.gz",
        "six-1.16.0-py2.py3-none-any.whl",
        "six-1.17.0-py2.py3-none-any.whl",
    }
    wheel = files["six-1.17.0-py2.py3-none-any.whl"]
    assert wheel["core-metadata"]
    assert len(wheel["hashes"]["sha256"]) == 64


def test_it_serves_the_wheels_metadata_file_and_ignores_ranges(devpi, upstream_packages):
    project = _project(devpi, "packaging")
    url = urllib.parse.urljoin(devpi.index_url + "packaging/", project["files"][0]["url"])
    local = upstream_packages.python_file("packaging-24.2-py3-none-any.whl")
    with zipfile.ZipFile(local) as archive:
        metadata = archive.read("packaging-24.2.dist-info/METADATA")
    with urllib.request.urlopen(url + ".metadata") as response:
        assert response.read() == metadata
    request = urllib.request.Request(url, headers={"Range": "bytes=-22"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200  # no range support: the whole file
        assert response.read() == local.read_bytes()
