"""`larder proxy warm` and `larder proxy invalidate` run as commands beside a live Larder:
the warm walked by its real Celery worker while the command shows progress, and an
invalidation reaching answers kept in front of Django."""

import subprocess
import sys
import time
import urllib.request

import pytest

from repository.models import Asset
from tests.e2e.conftest import ROOT
from tests.proxy.helpers import pypi_proxy

pytestmark = pytest.mark.e2e


def larder(live, *argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "repository.cli", *argv],
        cwd=ROOT,
        env=live.env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_shows_a_workers_progress_until_the_files_are_cached(
    live, pypiserver, tmp_path
):
    pypi_proxy("py-proxy", pypiserver.index_url)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("six==1.17.0\nidna==3.10\npackaging==24.2\n")
    pypiserver.front.fault(path="*/idna-3.10-*", delay=2.0)
    result = larder(live, "proxy", "warm", "py-proxy", str(requirements))
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(progress) >= 2
    assert progress[-1].startswith("[##############################] 100% 3/3 items, 3 files")
    assert "larder: warmed py-proxy: 3 items, 3 files fetched" in result.stderr
    wheels = Asset.objects.filter(repository__name="py-proxy", filename__endswith=".whl")
    assert set(wheels.filter(blob__isnull=False).values_list("filename", flat=True)) == {
        "six-1.17.0-py2.py3-none-any.whl",
        "idna-3.10-py3-none-any.whl",
        "packaging-24.2-py3-none-any.whl",
    }


def test_an_invalidation_reaches_answers_kept_in_front_of_django(live, pypiserver):
    pypi_proxy("py-proxy", pypiserver.index_url)
    page = live.repo_url("py-proxy") + "simple/six/"
    for _ in range(10):  # each web process keeps the answer
        with urllib.request.urlopen(page) as response:
            assert response.status == 200
    assert pypiserver.front.requests("/simple/six/") == 1
    assert larder(live, "proxy", "invalidate", "py-proxy", "six").returncode == 0
    for _ in range(4):
        with urllib.request.urlopen(page) as response:
            assert response.status == 200
    deadline = time.monotonic() + 20
    while pypiserver.front.requests("/simple/six/") < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pypiserver.front.requests("/simple/six/") == 2
