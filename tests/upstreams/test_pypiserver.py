"""pypiserver as a PyPI upstream: pip installs real packages from it directly."""

import zipfile

import pytest

from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e


def test_pip_installs_a_real_wheel_from_it_and_the_front_counts_each_fetch(pypiserver, tmp_path):
    clients = Clients(tmp_path)
    target = tmp_path / "target"
    clients.pip_install(pypiserver.index_url, "six==1.17.0", target)
    assert (target / "six.py").is_file()
    assert pypiserver.front.requests("/simple/six/") == 1
    assert pypiserver.front.requests("/packages/six-1.17.0-py2.py3-none-any.whl") == 1


def test_it_lists_the_seeded_sdist_and_wheels_in_html_only(pypiserver):
    import urllib.request

    request = urllib.request.Request(
        pypiserver.index_url + "six/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        page = response.read().decode()
    for filename in (
        "six-1.16.0.tar.gz",
        "six-1.16.0-py2.py3-none-any.whl",
        "six-1.17.0-py2.py3-none-any.whl",
    ):
        assert f">{filename}</a>" in page
    assert "#sha256=" in page


def test_its_files_answer_suffix_ranges(pypiserver, upstream_packages):
    import urllib.request

    wheel = upstream_packages.python_file("attrs-24.3.0-py3-none-any.whl")
    request = urllib.request.Request(
        pypiserver.url + "/packages/" + wheel.name, headers={"Range": "bytes=-22"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 206
        tail = response.read()
    assert tail == wheel.read_bytes()[-22:]
    assert tail.startswith(b"PK\x05\x06")  # the zip's end of central directory
    assert zipfile.is_zipfile(wheel)
