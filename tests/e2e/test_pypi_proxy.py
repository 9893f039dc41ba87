"""PyPI proxy repositories with the real clients, against real upstreams on loopback:
pypiserver (PEP 503 HTML, answers ranges) and devpi-server (PEP 691 JSON, PEP 658 files)."""

import json
import urllib.request

import pytest

from repository.models import Asset, Sidecar
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
    wheels = Asset.objects.filter(repository__name="py-proxy", filename__endswith=".whl")
    assert not wheels.filter(blob__isnull=False).exists(), "a resolve cached a whole wheel"
    assert Sidecar.objects.filter(asset__repository__name="py-proxy").count() == 3
    for headers in upstream.front.headers("*.whl"):
        assert "Range" in headers, "Larder fetched a whole wheel from the upstream to resolve"
