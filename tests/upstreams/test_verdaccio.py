"""Verdaccio as the npm upstream: npm installs the real packages published into it."""

import json
import urllib.error
import urllib.request

import pytest

from tests.npm.clients import NodeClients

pytestmark = pytest.mark.e2e


def test_npm_installs_real_packages_from_it(verdaccio, tmp_path):
    client = NodeClients(tmp_path, verdaccio.registry)
    project = client.consumer("smoke")
    client.npm("install", "is-number", "ms", "@types/ms", cwd=project)
    assert client.installed_version(project, "is-number") == "7.0.0"
    assert client.installed_version(project, "ms") == "2.1.3"
    assert client.installed_version(project, "@types/ms") == "0.7.34"
    assert verdaccio.front.requests("/ms/-/ms-2.1.3.tgz") == 1
    assert verdaccio.front.requests("/@types/ms/-/ms-0.7.34.tgz") == 1


def test_its_packuments_point_at_the_front_and_keep_every_version(verdaccio):
    with urllib.request.urlopen(verdaccio.registry + "ms") as response:
        packument = json.load(response)
    assert packument["dist-tags"]["latest"] == "2.1.3"
    assert set(packument["versions"]) == {"2.1.2", "2.1.3"}
    dist = packument["versions"]["2.1.2"]["dist"]
    assert dist["tarball"] == verdaccio.registry + "ms/-/ms-2.1.2.tgz"
    assert dist["integrity"].startswith("sha512-")


def test_it_has_no_uplink_so_unknown_packages_are_404(verdaccio):
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(verdaccio.registry + "left-pad")
    assert caught.value.code == 404
