"""Writes land only where they may: a repository that is not hosted refuses them in dispatch,
before any format code runs, in each client's own words."""

import json

import pytest

from repository.models import Asset, Package
from tests.conftest import PASSWORD, basic_auth
from tests.npm.conftest import make_tarball, publish_body

AUTH = {"HTTP_AUTHORIZATION": basic_auth("deployer", PASSWORD)}
# What each kind that takes no uploads answers: a proxy never does, a group without a
# write member neither.
REFUSED = [("proxy", "is a proxy repository"), ("group", "has no write member")]


@pytest.mark.parametrize(("kind", "reason"), REFUSED)
def test_npm_publish_to_a_repository_that_is_not_hosted_is_refused_as_npm_json(
    make_repository, client, kind, reason
):
    make_repository("elsewhere", "npm", kind=kind)
    body = publish_body("demo", "1.0.0", make_tarball({"name": "demo", "version": "1.0.0"}))
    response = client.put(
        "/repository/elsewhere/demo", json.dumps(body), content_type="application/json", **AUTH
    )
    assert response.status_code == 405
    assert reason in response.json()["error"]
    assert not Package.objects.exists()


@pytest.mark.parametrize(("kind", "reason"), REFUSED)
def test_npm_dist_tag_changes_to_a_repository_that_is_not_hosted_are_refused(
    make_repository, client, kind, reason
):
    make_repository("elsewhere", "npm", kind=kind)
    response = client.put(
        "/repository/elsewhere/-/package/demo/dist-tags/beta",
        '"1.0.0"',
        content_type="application/json",
        **AUTH,
    )
    assert response.status_code == 405
    assert reason in response.json()["error"]


@pytest.mark.parametrize(("kind", "reason"), REFUSED)
def test_a_generic_upload_to_a_repository_that_is_not_hosted_is_refused_as_text(
    make_repository, client, kind, reason
):
    make_repository("elsewhere", "generic", kind=kind)
    response = client.put(
        "/repository/elsewhere/dist/app.bin",
        b"bytes",
        content_type="application/octet-stream",
        **AUTH,
    )
    assert response.status_code == 405
    assert response.content.decode().startswith("405 ")
    assert reason in response.content.decode()
    assert not Asset.objects.exists()


def test_anonymous_writes_to_a_private_proxy_learn_nothing_about_it(make_repository, client):
    make_repository("hidden", "generic", kind="proxy", private=True)
    response = client.put("/repository/hidden/a.bin", b"x", content_type="text/plain")
    assert response.status_code == 401
    assert "proxy" not in response.content.decode()
