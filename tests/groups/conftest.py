"""Groups of hosted (and mirrored) members, and helpers that publish into the members."""

import json

import pytest

from repository.formats import get_format
from repository.models import Repository
from repository.services.blobs import store_bytes
from repository.services.packages import add_asset, ensure_package, ensure_version
from repository.services.repositories import create_repository, update_repository
from tests.api.conftest import api  # noqa: F401 - the API as the shared users
from tests.cli.conftest import larder  # noqa: F401 - the `larder` command in-process
from tests.conftest import PASSWORD, basic_auth
from tests.npm.conftest import make_tarball, publish_body
from tests.pypi.builders import make_wheel
from tests.pypi.conftest import form_for

DEPLOYER = basic_auth("deployer", PASSWORD)


@pytest.fixture
def make_group(db):
    """A group of the named members, in order, through the same service the API uses."""

    def make(name: str, fmt: str, members: list[str], *, private: bool = False, **settings):
        return create_repository(
            name, fmt, kind="group", private=private, settings={"members": members, **settings}
        )

    return make


def reorder(group: Repository, members: list[str]) -> None:
    update_repository(group, settings={**group.settings, "members": members})


@pytest.fixture
def upload_wheel(client):
    """A wheel of `project` `version` uploaded by the deployer to `repository` (a URL name)."""

    def upload(repository: str, project: str, version: str, **wheel_fields):
        wheel = make_wheel(project, version, **wheel_fields)
        response = client.post(
            f"/repository/{repository}/legacy/", form_for(wheel), HTTP_AUTHORIZATION=DEPLOYER
        )
        assert response.status_code == 200, response.content
        return wheel

    return upload


@pytest.fixture
def npm_publish(client):
    def publish(repository: str, name: str, version: str, tags=None, **manifest):
        manifest = {"name": name, "version": version, **manifest}
        body = publish_body(name, version, make_tarball(manifest), tags)
        response = client.put(
            f"/repository/{repository}/{name.replace('/', '%2f')}",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=DEPLOYER,
        )
        assert response.status_code == 201, response.content
        return response

    return publish


def mirror_wheel(repository: Repository, name: str, version: str, filename: str, data: bytes):
    """Rows as a PyPI proxy holds them once it has mirrored a file of `name` `version`."""
    fmt = get_format(repository.format)
    package, _ = ensure_package(repository, fmt, name)
    version_row, _ = ensure_version(package, version)
    path = f"files/{fmt.normalize_name(name)}/{version}/{filename}"
    add_asset(
        repository,
        path,
        store_bytes(data),
        filename=filename,
        package=package,
        version=version_row,
    )
    return path
