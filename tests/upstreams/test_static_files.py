"""A plain static file server as the generic upstream, fetched with curl."""

import subprocess

import pytest

from tests.e2e.conftest import require_tool

pytestmark = pytest.mark.e2e


def _curl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [require_tool("curl"), "-sS", *args], capture_output=True, check=True, timeout=30
    )


def test_curl_downloads_a_seeded_file_and_revalidates_it(static_files, upstream_packages):
    wheel = upstream_packages.python_file("six-1.17.0-py2.py3-none-any.whl")
    static_files.seed("dist/six.whl", wheel.read_bytes())
    url = static_files.url + "/dist/six.whl"
    assert _curl(url).stdout == wheel.read_bytes()

    headers = _curl("-D", "-", "-o", "/dev/null", url).stdout.decode()
    last_modified = next(
        line.split(":", 1)[1].strip()
        for line in headers.splitlines()
        if line.lower().startswith("last-modified:")
    )
    status = _curl("-o", "/dev/null", "-w", "%{http_code}", "-H",
                   f"If-Modified-Since: {last_modified}", url).stdout  # fmt: skip
    assert status == b"304"
    assert static_files.front.requests("/dist/six.whl") == 3
