"""Calling the API as the shared users: `api("GET", url, user=reader)` or `token=...`."""

import json

import pytest

from repository.formats import get_format
from repository.services.blobs import store_bytes
from repository.services.packages import add_asset, ensure_package, ensure_version
from tests.conftest import PASSWORD, basic_auth
from tests.retention.fixtures import policy, publish, tag

__all__ = ["policy", "publish", "tag"]


@pytest.fixture
def api(client):
    def call(method: str, url: str, *, user=None, token=None, body=None, **headers):
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = basic_auth(user.username, PASSWORD)
        if token is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if body is not None:
            return client.generic(
                method, url, json.dumps(body), content_type="application/json", **headers
            )
        return client.generic(method, url, **headers)

    return call


@pytest.fixture
def add_file(db):
    """A stored file in a package version, through the core's services (as an upload would)."""

    def add(repository, package: str, version: str, filename: str, content: bytes = b""):
        fmt = get_format(repository.format)
        package_row, _ = ensure_package(repository, fmt, package)
        version_row, _ = ensure_version(package_row, version)
        path = f"{package_row.name}/{version}/{filename}"
        blob = store_bytes(content or filename.encode())
        return add_asset(
            repository, path, blob, filename=filename, package=package_row, version=version_row
        ).asset

    return add


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]
