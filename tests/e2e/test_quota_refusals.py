"""A full repository refuses uploads in each client's own words: twine, npm and curl print
the quota, nothing is stored; the soft quota only warns (the upload passes)."""

import pytest

from repository.models import Asset, Version
from tests.generic.curl import Curl
from tests.npm.clients import NodeClients
from tests.pypi.builders import make_wheel
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e


@pytest.fixture
def token(deployer, make_token):
    return make_token(deployer)


def test_twine_prints_the_quota_it_was_refused_for(live, make_repository, token, tmp_path):
    make_repository("py-full", "pypi", quota_bytes=100)
    clients = Clients(tmp_path)
    wheel = clients.write(make_wheel("Quota-Pkg", "1.0"))
    result = clients.twine_upload(
        live.repo_url("py-full") + "legacy/", "__token__", token, wheel, check=False
    )
    assert result.returncode != 0
    assert "repository py-full would exceed its quota of 100 bytes" in result.stdout + result.stderr
    assert not Version.objects.exists()


def test_npm_prints_the_quota_it_was_refused_for(live, make_repository, token, tmp_path):
    make_repository("npm-full", "npm", quota_bytes=100)
    npm = NodeClients(tmp_path / "npm", live.repo_url("npm-full"))
    npm.configure(token=token)
    result = npm.npm("publish", cwd=npm.write_package("quota-pkg", "1.0.0"), check=False)
    assert result.returncode != 0
    assert "repository npm-full would exceed its quota of 100 bytes" in result.stderr
    assert not Version.objects.exists()


def test_curl_gets_413_with_the_quota(live, make_repository, token, tmp_path):
    make_repository("files-full", "generic", quota_bytes=10, soft_quota_bytes=4)
    curl = Curl(tmp_path / "curl")
    url = live.repo_url("files-full")
    first = curl("-u", f"__token__:{token}", "-T", "-", url + "small.txt", stdin=b"12345")
    assert first.status == 201  # past the soft quota: warned about, not refused
    refused = curl("-u", f"__token__:{token}", "-T", "-", url + "big.txt", stdin=b"123456")
    assert refused.status == 413
    assert refused.text == "413 repository files-full would exceed its quota of 10 bytes\n"
    assert list(Asset.objects.values_list("path", flat=True)) == ["small.txt"]
