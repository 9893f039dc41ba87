"""PyPI proxy repositories with the real clients, against real upstreams on loopback:
pypiserver (PEP 503 HTML, answers ranges) and devpi-server (PEP 691 JSON, PEP 658 files)."""

import json
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.utils import timezone

from repository.models import Asset, Sidecar
from repository.retention.policies import create_policy
from repository.retention.run import execute, queue_run
from repository.services.repositories import create_repository
from tests.e2e.conftest import require_tool
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e


def proxy_of(name: str, upstream: str, **options):
    return create_repository(
        name, "pypi", kind="proxy", settings={"proxy": {"upstream": upstream, **options}}
    )


@pytest.fixture(params=["pypiserver", "devpi"])
def upstream(request):
    """Each test runs against an HTML-only and a JSON upstream."""
    return request.getfixturevalue(request.param)


def test_pip_and_uv_install_from_a_cold_cache_then_with_the_upstream_stopped(
    live, upstream, tmp_path
):
    proxy_of("py-proxy", upstream.index_url)
    index = live.repo_url("py-proxy") + "simple/"
    clients = Clients(tmp_path)
    clients.pip_install(index, "six==1.17.0", tmp_path / "cold")
    assert (tmp_path / "cold" / "six.py").is_file()
    assert upstream.front.requests("*/+simple/six/") + upstream.front.requests("/simple/six/")
    wheel = Asset.objects.get(filename="six-1.17.0-py2.py3-none-any.whl")
    assert wheel.cached and wheel.repository.name == "py-proxy"

    upstream.front.stop()
    clients.pip_install(index, "six==1.17.0", tmp_path / "warm")
    assert (tmp_path / "warm" / "six.py").is_file()
    site_packages = clients.uv_install(index, "six==1.17.0")
    assert (site_packages / "six.py").is_file()


def test_a_project_page_lists_every_upstream_file_on_larder_urls_with_core_metadata(live, upstream):
    proxy_of("py-proxy", upstream.index_url)
    request = urllib.request.Request(
        live.repo_url("py-proxy") + "simple/six/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request) as response:
        page = json.load(response)
    filenames = {file["filename"] for file in page["files"]}
    assert filenames == {
        "six-1.16.0-py2.py3-none-any.whl",
        "six-1.16.0.tar.gz",
        "six-1.17.0-py2.py3-none-any.whl",
    }
    assert page["versions"] == ["1.16.0", "1.17.0"]
    for file in page["files"]:
        assert file["url"].startswith("../../files/six/")
        assert len(file["hashes"]["sha256"]) == 64
        assert bool(file["core-metadata"]) == file["filename"].endswith(".whl")
    assert not Asset.objects.filter(repository__name="py-proxy", blob__isnull=False).exists()


def test_a_cold_uv_resolve_fetches_metadata_and_no_whole_wheel(live, upstream, tmp_path):
    proxy_of("py-proxy", upstream.index_url)
    index = live.repo_url("py-proxy") + "simple/"
    clients = Clients(tmp_path)
    requirements = tmp_path / "requirements.in"
    requirements.write_text("six\nidna\npackaging\n")
    compiled = clients.run(
        require_tool("uv"), "pip", "compile", "--no-config", "--index-url", index, str(requirements)
    )
    assert "six==1.17.0" in compiled.stdout
    live.flush_download_counts()
    wheels = Asset.objects.filter(repository__name="py-proxy", filename__endswith=".whl")
    assert not wheels.filter(download_count__gt=0).exists(), "uv downloaded a whole wheel"
    assert Sidecar.objects.filter(asset__repository__name="py-proxy").count() == 3
    for headers in upstream.front.headers("*.whl"):
        assert "Range" in headers, "Larder fetched a whole wheel from the upstream to resolve"
    # A wheel that the metadata's range read brought whole (pypiserver: all three are
    # small) is kept, so the install after the resolve finds it cached: each wheel leaves
    # the upstream once, for the resolve or for the install, never for both.
    kept = {wheel.filename for wheel in wheels.filter(blob__isnull=False)}
    if upstream.front.requests("*.whl"):
        assert kept == {"six-1.17.0-py2.py3-none-any.whl", "idna-3.10-py3-none-any.whl",
                        "packaging-24.2-py3-none-any.whl"}  # fmt: skip
    site_packages = clients.uv_install(index, "six==1.17.0")
    assert (site_packages / "six.py").is_file()
    assert upstream.front.requests("*/six-1.17.0-py2.py3-none-any.whl") == 1


def test_without_range_support_the_whole_wheel_is_cached_for_its_metadata(live, pypiserver):
    proxy_of("py-proxy", pypiserver.index_url)
    pypiserver.front.fault(path="*.whl", ignore_range=True)
    page = urllib.request.urlopen(live.repo_url("py-proxy") + "simple/idna/").read().decode()
    assert 'data-core-metadata="true"' in page  # idna's wheel is larger than one range read
    wheel = Asset.objects.get(repository__name="py-proxy", filename__endswith=".whl")
    with urllib.request.urlopen(live.repo_url("py-proxy") + wheel.path + ".metadata") as response:
        metadata = response.read()
    assert b"Name: idna" in metadata and b"Version: 3.10" in metadata
    wheel.refresh_from_db()
    assert wheel.cached, "the wheel fetched whole for its METADATA is kept"
    page = urllib.request.urlopen(live.repo_url("py-proxy") + "simple/idna/").read().decode()
    assert f'data-core-metadata="sha256={wheel.metadata["core_metadata_sha256"]}"' in page


def test_denied_names_are_never_asked_for_and_offline_proxies_say_so(live, pypiserver):
    proxy_of("py-proxy", pypiserver.index_url, deny=["six"])
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(live.repo_url("py-proxy") + "simple/six/")
    assert denied.value.code == 404
    assert pypiserver.front.requests("/simple/six/") == 0
    proxy_of("py-offline", pypiserver.index_url, offline=True)
    with pytest.raises(urllib.error.HTTPError) as offline:
        urllib.request.urlopen(live.repo_url("py-offline") + "simple/idna/")
    assert offline.value.code == 404
    assert "py-offline is offline" in offline.value.read().decode()
    assert pypiserver.front.requests() == 0


def test_the_json_api_answers_for_a_proxied_project(live, upstream):
    proxy_of("py-proxy", upstream.index_url)
    with urllib.request.urlopen(live.repo_url("py-proxy") + "pypi/idna/json") as response:
        project = json.load(response)
    assert project["info"]["version"] == "3.10"
    (file,) = project["urls"]
    assert file["filename"] == "idna-3.10-py3-none-any.whl"
    assert len(file["digests"]["sha256"]) == 64


def test_a_file_retention_evicted_is_fetched_again_on_the_next_install(live, pypiserver, tmp_path):
    proxy = proxy_of("py-proxy", pypiserver.index_url)
    index = live.repo_url("py-proxy") + "simple/"
    clients = Clients(tmp_path)
    clients.pip_install(index, "six==1.17.0", tmp_path / "first")
    wheel = Asset.objects.get(repository=proxy, filename="six-1.17.0-py2.py3-none-any.whl")
    Asset.objects.filter(pk=wheel.pk).update(last_downloaded=timezone.now() - timedelta(days=40))
    policy = create_policy("idle-cache", repositories=[proxy], cached_not_downloaded_days=30)
    run = execute(queue_run(policy, trigger="cli"))
    assert run.files_evicted == 1
    wheel.refresh_from_db()
    assert not wheel.cached
    fetched_before = pypiserver.front.requests(f"*/{wheel.filename}")
    clients.pip_install(index, "six==1.17.0", tmp_path / "again")
    assert (tmp_path / "again" / "six.py").is_file()
    assert pypiserver.front.requests(f"*/{wheel.filename}") == fetched_before + 1
    wheel.refresh_from_db()
    assert wheel.cached


def test_a_stale_page_is_refreshed_with_a_conditional_request(live, pypiserver):
    proxy_of("py-proxy", pypiserver.index_url, metadata_ttl=1)
    pypiserver.front.fault(path="/simple/six/", headers=(("ETag", '"v1"'),), times=1)
    url = live.repo_url("py-proxy") + "simple/six/"
    urllib.request.urlopen(url).read()
    time.sleep(1.5)
    pypiserver.front.fault(path="/simple/six/", status=304, times=1)
    urllib.request.urlopen(url).read()  # stale: refreshed in the background
    live.wait_until_idle()
    first, refresh = pypiserver.front.headers("/simple/six/")
    assert "If-None-Match" not in first
    assert refresh["If-None-Match"] == '"v1"'
    with urllib.request.urlopen(url) as response:  # the 304 made the copy fresh again
        assert response.headers["X-Larder-Cache"] is None
        assert b"six-1.17.0-py2.py3-none-any.whl" in response.read()


def test_a_file_asked_for_before_its_project_page_is_found(live, upstream, tmp_path):
    proxy_of("py-proxy", upstream.index_url)
    url = live.repo_url("py-proxy") + "files/six/1.17.0/six-1.17.0-py2.py3-none-any.whl"
    with urllib.request.urlopen(url) as response:
        wheel = response.read()
    assert wheel[:2] == b"PK"
    assert Asset.objects.get(
        repository__name="py-proxy", filename__endswith="1.17.0-py2.py3-none-any.whl"
    ).cached
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(live.repo_url("py-proxy") + "files/six/9.9/six-9.9-py3-none-any.whl")
    assert missing.value.code == 404
