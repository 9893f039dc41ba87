"""PyPI test fixtures: a public and a private repository, and an upload helper like twine's."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import PASSWORD, basic_auth
from tests.pypi.builders import Dist, make_sdist, make_wheel

DEPLOYER = basic_auth("deployer", PASSWORD)
READER = basic_auth("reader", PASSWORD)
OUTSIDER = basic_auth("outsider", PASSWORD)


@pytest.fixture
def repo(make_repository):
    return make_repository("py", "pypi")


@pytest.fixture
def private_repo(make_repository):
    return make_repository("secret", "pypi", private=True)


@pytest.fixture(scope="session")
def wheel() -> Dist:
    return make_wheel("Tiny-Pkg", "1.0", requires_python=">=3.8")


@pytest.fixture(scope="session")
def sdist() -> Dist:
    return make_sdist("Tiny-Pkg", "1.0", requires_python=">=3.8")


def form_for(dist: Dist, **overrides) -> dict:
    """The fields twine sends; an override of None leaves that field out."""
    fields = {
        ":action": "file_upload",
        "protocol_version": "1",
        "metadata_version": "2.1",
        "name": dist.name,
        "version": dist.version,
        "filetype": dist.filetype,
        "pyversion": "py3" if dist.filetype == "bdist_wheel" else "source",
        "sha256_digest": dist.sha256,
        "blake2_256_digest": hashlib.blake2b(dist.data, digest_size=32).hexdigest(),
        "content": SimpleUploadedFile(dist.filename, dist.data),
    }
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


@pytest.fixture
def upload(client):
    """POST a distribution to a repository's legacy/ URL, as the deployer unless told."""

    def send(repository, dist: Dist, *, auth: str | None = DEPLOYER, path="legacy/", **fields):
        headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
        return client.post(
            f"/repository/{repository.name}/{path}", form_for(dist, **fields), **headers
        )

    return send
