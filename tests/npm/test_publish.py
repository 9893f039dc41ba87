"""PUT /<name>: npm publish, with the tarball's own package.json as the truth."""

import base64
import hashlib
import json
import os

import pytest
from django.test import override_settings

from repository.models import Asset, AuditEvent, Package, Tag, Version
from tests.conftest import PASSWORD, basic_auth
from tests.npm.conftest import REPO, make_tarball, publish_body


def packument(client, name):
    return json.loads(client.get(f"{REPO}/{name.replace('/', '%2f')}").content)


def test_it_publishes_an_unscoped_package(client, publish):
    response = publish("demo", "1.0.0", {"description": "a demo"})
    assert response.status_code == 201
    assert response.json()["ok"] is True
    document = packument(client, "demo")
    assert document["dist-tags"] == {"latest": "1.0.0"}
    assert document["versions"]["1.0.0"]["description"] == "a demo"


def test_it_publishes_a_scoped_package(client, publish):
    assert publish("@acme/widget", "2.0.0").status_code == 201
    document = packument(client, "@acme/widget")
    assert document["name"] == "@acme/widget"
    assert document["versions"]["2.0.0"]["dist"]["tarball"] == (
        "http://testserver/repository/npm-hosted/@acme/widget/-/widget-2.0.0.tgz"
    )


def test_it_applies_the_requested_tag(client, publish):
    publish("demo", "1.0.0")
    publish("demo", "2.0.0-beta.1", tags={"beta": "2.0.0-beta.1"})
    assert packument(client, "demo")["dist-tags"] == {"latest": "1.0.0", "beta": "2.0.0-beta.1"}


def test_it_sets_latest_when_the_first_publish_has_another_tag(client, publish):
    publish("demo", "1.0.0-rc.1", tags={"next": "1.0.0-rc.1"})
    assert packument(client, "demo")["dist-tags"] == {"latest": "1.0.0-rc.1", "next": "1.0.0-rc.1"}


def test_it_computes_hashes_and_counts_from_the_stored_tarball(client, publish):
    files = {"package/index.js": b"module.exports = 1\n", "package/lib/a.js": b"x" * 100}
    publish("demo", "1.0.0", files=files)
    dist = packument(client, "demo")["versions"]["1.0.0"]["dist"]
    tarball = client.get(f"{REPO}/demo/-/demo-1.0.0.tgz").getvalue()
    assert dist["shasum"] == hashlib.sha1(tarball).hexdigest()
    assert (
        dist["integrity"] == "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    )
    assert dist["fileCount"] == 3
    manifest_size = len(json.dumps({"name": "demo", "version": "1.0.0"}))
    assert dist["unpackedSize"] == 19 + 100 + manifest_size
    assert dist["tarball"].startswith("http://testserver/repository/npm-hosted/")


def test_it_takes_the_manifest_from_the_tarball_not_the_body(client, put_json, deployer_auth):
    tarball = make_tarball(
        {"name": "demo", "version": "1.0.0", "dependencies": {"left-pad": "^1.0.0"}, "_id": "x"}
    )
    body = publish_body("demo", "1.0.0", tarball)
    body["versions"]["1.0.0"]["dependencies"] = {"evil": "*"}
    put_json("/demo", body, **deployer_auth)
    version = packument(client, "demo")["versions"]["1.0.0"]
    assert version["dependencies"] == {"left-pad": "^1.0.0"}
    assert version["_id"] == "demo@1.0.0"
    assert "evil.example" not in json.dumps(version)


def test_it_records_readme_and_install_facts(client, publish):
    files = {"package/README.md": b"# Demo\n", "package/npm-shrinkwrap.json": b"{}"}
    publish("demo", "1.0.0", {"scripts": {"postinstall": "node x.js"}}, files=files)
    document = packument(client, "demo")
    assert document["readme"] == "# Demo\n"
    assert document["readmeFilename"] == "README.md"
    assert document["versions"]["1.0.0"]["hasInstallScript"] is True
    assert document["versions"]["1.0.0"]["_hasShrinkwrap"] is True


def test_it_refuses_to_republish_a_version(client, publish):
    publish("demo", "1.0.0")
    response = publish("demo", "1.0.0", {"description": "other bytes"})
    assert response.status_code == 403
    assert "previously published" in response.json()["error"]
    assert Version.objects.count() == 1


def test_it_audits_the_publish(publish, deployer):
    publish("demo", "1.0.0")
    event = AuditEvent.objects.get(action="npm.publish")
    assert event.actor == deployer
    assert event.target == "demo@1.0.0"
    assert event.repository_name == "npm-hosted"


def test_it_accepts_a_deployer_token(npm_repository, put_json, deployer, make_token):
    body = publish_body("demo", "1.0.0", make_tarball({"name": "demo", "version": "1.0.0"}))
    token = make_token(deployer)
    response = put_json("/demo", body, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201


def test_it_asks_anonymous_publishers_to_authenticate(npm_repository, put_json):
    body = publish_body("demo", "1.0.0", make_tarball({"name": "demo", "version": "1.0.0"}))
    response = put_json("/demo", body)
    assert response.status_code == 401
    assert response.json() == {"error": "authentication required"}
    assert response.has_header("WWW-Authenticate")


def test_it_forbids_readers_to_publish(npm_repository, put_json, reader_auth):
    body = publish_body("demo", "1.0.0", make_tarball({"name": "demo", "version": "1.0.0"}))
    response = put_json("/demo", body, **reader_auth)
    assert response.status_code == 403
    assert "error" in response.json()


def test_it_refuses_a_readonly_token(npm_repository, put_json, deployer, make_token):
    body = publish_body("demo", "1.0.0", make_tarball({"name": "demo", "version": "1.0.0"}))
    token = make_token(deployer, readonly=True)
    assert put_json("/demo", body, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 403


def test_it_rejects_wrong_credentials_with_401(npm_repository, put_json):
    auth = basic_auth("deployer", PASSWORD + "x")
    assert put_json("/demo", {}, HTTP_AUTHORIZATION=auth).status_code == 401


def _assert_nothing_stored():
    assert not Package.objects.exists()
    assert not Version.objects.exists()
    assert not Asset.objects.exists()
    assert not Tag.objects.exists()


def _tarball(**manifest):
    return make_tarball({"name": "demo", "version": "1.0.0", **manifest})


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda b: b.update(versions={}), "exactly one version"),
        (lambda b: b["_attachments"].clear() or b["_attachments"].update(x={}), ".tgz"),
        (
            lambda b: next(iter(b["_attachments"].values())).update(data="not base64!"),
            "base64",
        ),
        (lambda b: next(iter(b["_attachments"].values())).update(length=1), "length"),
        (lambda b: b.update(name="other"), "names package"),
        (lambda b: b.update({"dist-tags": {"latest": "9.9.9"}}), "dist-tags"),
        (lambda b: b.update({"dist-tags": {"1.x": "1.0.0"}}), "version"),
    ],
)
def test_it_rejects_malformed_bodies(npm_repository, put_json, deployer_auth, mutate, message):
    body = publish_body("demo", "1.0.0", _tarball())
    mutate(body)
    response = put_json("/demo", body, **deployer_auth)
    assert response.status_code == 400
    assert message in response.json()["error"]
    _assert_nothing_stored()


@pytest.mark.parametrize(
    ("tarball", "message"),
    [
        (b"plain bytes", "not gzip"),
        (b"\x1f\x8b" + b"\x00" * 30, "not a valid"),
        (make_tarball(None, {"package/index.js": b"1"}), "no package.json in its top-level"),
        (make_tarball(None, {"package/package.json": b"{nope"}), "not valid JSON"),
        (make_tarball({"name": "other", "version": "1.0.0"}), "names 'other'"),
        (make_tarball({"name": "demo", "version": "1.0.1"}), "version '1.0.1'"),
        (
            make_tarball({"name": "demo", "version": "1.0.0"}, {"package/../../etc/x": b"1"}),
            "unsafe path",
        ),
    ],
)
def test_it_rejects_bad_tarballs(npm_repository, put_json, deployer_auth, tarball, message):
    response = put_json("/demo", publish_body("demo", "1.0.0", tarball), **deployer_auth)
    assert response.status_code == 400
    assert message in response.json()["error"]
    _assert_nothing_stored()


@pytest.mark.parametrize("name", ["Demo", ".demo", "_demo", "node_modules", "de mo", "a" * 215])
def test_it_rejects_invalid_names(npm_repository, put_json, deployer_auth, name):
    body = publish_body(name, "1.0.0", make_tarball({"name": name, "version": "1.0.0"}))
    response = put_json("/" + name.replace(" ", "%20"), body, **deployer_auth)
    assert response.status_code in (400, 404)
    assert "error" in response.json()
    _assert_nothing_stored()


def test_it_rejects_a_body_that_is_not_json(npm_repository, put_json, deployer_auth):
    response = put_json("/demo", b'{"name": "demo", "_attachments": ', **deployer_auth)
    assert response.status_code == 400
    assert response.json() == {"error": "request body is not valid JSON"}
    _assert_nothing_stored()


def test_it_rejects_an_invalid_version(npm_repository, put_json, deployer_auth):
    body = publish_body("demo", "1.0", make_tarball({"name": "demo", "version": "1.0"}))
    response = put_json("/demo", body, **deployer_auth)
    assert response.status_code == 400
    assert "invalid semver" in response.json()["error"]


@override_settings(LARDER_NPM_MAX_BODY_BYTES=1000)
def test_it_refuses_an_oversized_body_from_its_content_length(
    npm_repository, put_json, deployer_auth
):
    noise = os.urandom(5000)
    body = publish_body("demo", "1.0.0", make_tarball({"name": "demo"}, {"package/x": noise}))
    response = put_json("/demo", body, **deployer_auth)
    assert response.status_code == 413
    assert "exceeds the limit of 1000 bytes" in response.json()["error"]
    _assert_nothing_stored()


def test_it_keeps_the_tarball_out_of_memory_while_parsing(npm_repository, put_json, deployer_auth):
    """A tarball larger than the long-string threshold goes through the spooled path."""
    payload = os.urandom(300 * 1024)
    tarball = make_tarball({"name": "demo", "version": "1.0.0"}, {"package/blob.bin": payload})
    response = put_json("/demo", publish_body("demo", "1.0.0", tarball), **deployer_auth)
    assert response.status_code == 201
    asset = Asset.objects.get()
    assert asset.blob.size == len(tarball)
    assert asset.blob.sha256 == hashlib.sha256(tarball).hexdigest()
