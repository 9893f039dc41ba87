"""npm test helpers: tarballs built in memory, publish bodies as npm sends them, a client."""

import base64
import io
import json
import tarfile
import time

import pytest

from tests.conftest import PASSWORD, basic_auth

REPO = "/repository/npm-hosted"


def make_tarball(
    manifest: dict | None, files: dict[str, bytes] | None = None, folders: list[str] = ()
) -> bytes:
    """A gzip'd tar laid out as `npm pack` makes it: everything under package/ (or as
    `files` says), after a directory entry for each of `folders`."""
    members = dict(files or {})
    if manifest is not None:
        members["package/package.json"] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for folder in folders:
            info = tarfile.TarInfo(folder)
            info.type = tarfile.DIRTYPE
            archive.addfile(info)
        for path, data in members.items():
            info = tarfile.TarInfo(path)
            info.size = len(data)
            info.mtime = int(time.time())
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def publish_body(name: str, version: str, tarball: bytes, tags: dict | None = None) -> dict:
    """The JSON `npm publish` PUTs (libnpmpublish's buildMetadata)."""
    filename = f"{name}-{version}.tgz"
    return {
        "_id": name,
        "name": name,
        "description": "from the client",
        "dist-tags": tags if tags is not None else {"latest": version},
        "versions": {
            version: {
                "name": name,
                "version": version,
                "_id": f"{name}@{version}",
                "dist": {"tarball": f"http://evil.example/{filename}", "shasum": "0" * 40},
            }
        },
        "access": "public",
        "_attachments": {
            filename: {
                "content_type": "application/octet-stream",
                "data": base64.b64encode(tarball).decode(),
                "length": len(tarball),
            }
        },
    }


def escaped(name: str) -> str:
    return name.replace("/", "%2f")


@pytest.fixture
def npm_repository(make_repository):
    return make_repository("npm-hosted", "npm")


@pytest.fixture
def deployer_auth(deployer):
    return {"HTTP_AUTHORIZATION": basic_auth("deployer", PASSWORD)}


@pytest.fixture
def maintainer_auth(maintainer):
    return {"HTTP_AUTHORIZATION": basic_auth("maintainer", PASSWORD)}


@pytest.fixture
def reader_auth(reader):
    return {"HTTP_AUTHORIZATION": basic_auth("reader", PASSWORD)}


@pytest.fixture
def put_json(client, npm_repository):
    def put(path: str, body, **headers):
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        return client.put(REPO + path, data=data, content_type="application/json", **headers)

    return put


@pytest.fixture
def publish(npm_repository, put_json, deployer_auth):
    """Publish `name@version` as deployer; returns the response."""

    def do(name: str, version: str, manifest: dict | None = None, tags=None, files=None):
        manifest = {"name": name, "version": version, **(manifest or {})}
        body = publish_body(name, version, make_tarball(manifest, files), tags)
        return put_json("/" + escaped(name), body, **deployer_auth)

    return do
