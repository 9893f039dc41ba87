"""`larder proxy warm REPO FILE`: a proxy's cache filled from a lock file by a Celery task
(run here as a worker would), its progress shown, against a real pypiserver upstream."""

import json

import pytest

from repository.models import Asset
from tests.proxy.helpers import pypi_proxy

pytestmark = pytest.mark.usefixtures("transactional_db", "eager_tasks")

SIX_WHEEL = "six-1.17.0-py2.py3-none-any.whl"
IDNA_WHEEL = "idna-3.10-py3-none-any.whl"


def cached(*filenames: str) -> set[str]:
    found = Asset.objects.filter(filename__in=filenames, blob__isnull=False)
    return set(found.values_list("filename", flat=True))


@pytest.fixture
def requirements(tmp_path):
    path = tmp_path / "requirements.txt"
    path.write_text("six==1.17.0 \\\n    --hash=sha256:abc\nidna==3.10\n")
    return path


def test_it_caches_the_pinned_files_and_shows_progress(larder, pypiserver, requirements):
    pypi_proxy("py-proxy", pypiserver.index_url)
    result = larder("proxy", "warm", "py-proxy", str(requirements), "--json")
    assert result.code == 0, result.stderr
    assert "[##############################] 100% 2/2 items, 2 files fetched (" in result.stderr
    assert "0 errors" in result.stderr
    assert "larder: warmed py-proxy: 2 items, 2 files fetched" in result.stderr
    record = json.loads(result.stdout)
    assert (record["status"], record["items_done"], record["files_fetched"]) == ("finished", 2, 2)
    assert cached(SIX_WHEEL, IDNA_WHEEL) == {SIX_WHEEL, IDNA_WHEEL}
    assert not cached("six-1.16.0-py2.py3-none-any.whl", "six-1.16.0.tar.gz")
    assert pypiserver.front.requests("/simple/six/") == 1
    assert pypiserver.front.requests(f"*/{SIX_WHEEL}") == 1

    again = larder("proxy", "warm", "py-proxy", str(requirements), "--quiet")
    assert again.code == 0
    assert "0 files fetched (0.0 MB), 2 already cached" in again.stderr
    assert pypiserver.front.requests(f"*/{SIX_WHEEL}") == 1


def test_a_pylock_toml_warms_every_file_of_each_version(larder, pypiserver, tmp_path):
    pypi_proxy("py-proxy", pypiserver.index_url)
    lock = tmp_path / "pylock.toml"
    lock.write_text('lock-version = "1.0"\n[[packages]]\nname = "Six"\nversion = "1.16.0"\n')
    assert larder("proxy", "warm", "py-proxy", str(lock), "--quiet").code == 0
    wheel, sdist = "six-1.16.0-py2.py3-none-any.whl", "six-1.16.0.tar.gz"
    assert cached(wheel, sdist, SIX_WHEEL) == {wheel, sdist}


def test_it_names_each_item_it_could_not_warm_and_fails(larder, pypiserver, tmp_path):
    pypi_proxy("py-proxy", pypiserver.index_url)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("six==9.9\nno-such-project==1.0\nidna==3.10\n")
    result = larder("proxy", "warm", "py-proxy", str(requirements), "--quiet")
    assert result.code == 1
    assert "larder: six 9.9: the upstream has no such version\n" in result.stderr
    assert "larder: no-such-project 1.0: the upstream has no such package\n" in result.stderr
    assert result.stderr.endswith("larder: error: 2 of 3 items not warmed\n")
    assert cached(IDNA_WHEEL) == {IDNA_WHEEL}


def test_it_refuses_what_it_cannot_warm(larder, pypiserver, make_repository, tmp_path):
    make_repository("py", "pypi")
    pypi_proxy("py-proxy", pypiserver.index_url)
    bad = tmp_path / "requirements.txt"
    bad.write_text("six==1.17.0\nthis is not a requirement\n")
    assert larder("proxy", "warm", "nope", str(bad)).stderr == (
        "larder: error: no repository named 'nope'\n"
    )
    assert larder("proxy", "warm", "py", str(bad)).stderr == (
        "larder: error: py is a hosted repository: only proxies can be warmed\n"
    )
    unreadable = larder("proxy", "warm", "py-proxy", str(bad))
    assert unreadable.code == 1
    assert unreadable.stderr.startswith("larder: error: line 2: not a requirement: ")
    missing = larder("proxy", "warm", "py-proxy", str(tmp_path / "absent.txt"))
    assert missing.stderr.startswith(f"larder: error: cannot read {tmp_path / 'absent.txt'}: ")
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    assert larder("proxy", "warm", "py-proxy", str(empty)).stderr == (
        "larder: error: nothing to warm: no package or file is named\n"
    )
    assert pypiserver.front.requests() == 0
