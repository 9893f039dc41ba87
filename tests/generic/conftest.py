"""Generic test fixtures: a public and a private repository, and requests as each role."""

import hashlib

import pytest

from tests.conftest import PASSWORD, basic_auth

ADMIN = basic_auth("admin", PASSWORD)
DEPLOYER = basic_auth("deployer", PASSWORD)
MAINTAINER = basic_auth("maintainer", PASSWORD)
READER = basic_auth("reader", PASSWORD)
OUTSIDER = basic_auth("outsider", PASSWORD)


@pytest.fixture
def repo(make_repository):
    return make_repository("files", "generic")


@pytest.fixture
def private_repo(make_repository):
    return make_repository("secret", "generic", private=True)


@pytest.fixture
def layout_repo(make_repository):
    return make_repository("builds", "generic", settings={"layout": "name/version/file"})


def url(repository, path: str = "") -> str:
    return f"/repository/{repository.name}/{path}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def put(client):
    """PUT bytes to a path, as the deployer unless told otherwise."""

    def send(repository, path: str, data: bytes, *, auth: str | None = DEPLOYER, **headers):
        if auth:
            headers["HTTP_AUTHORIZATION"] = auth
        return client.put(
            url(repository, path), data, content_type="application/octet-stream", **headers
        )

    return send


@pytest.fixture
def get(client):
    """GET (or another safe method) a path, anonymously unless told otherwise."""

    def send(
        repository, path: str = "", *, method: str = "get", auth: str | None = None, **headers
    ):
        if auth:
            headers["HTTP_AUTHORIZATION"] = auth
        return getattr(client, method)(url(repository, path), **headers)

    return send


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


class ExplodingStream:
    """A request body that must never be read (the request is refused before it)."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the body was read")

    readline = read
