"""Access fixtures: the test-only probe format, and calls through the dispatcher and the API.

`call(method, url, auth)` sends one request with an Authorization header (or none);
`basic(user)`, `token_basic(token, username)` and `bearer(token)` build those headers.
"""

import base64
import json

import pytest

from repository import formats
from repository.models import Repository, RepositoryRole, Role
from tests.access.probe import ProbeFormat
from tests.conftest import PASSWORD, basic_auth


@pytest.fixture(autouse=True)
def probe_format(monkeypatch):
    """Registered for each test and removed afterwards."""
    fmt = ProbeFormat()
    monkeypatch.setitem(formats._registry, fmt.name, fmt)
    return fmt


@pytest.fixture
def public_repo(make_repository) -> Repository:
    return make_repository("open-probe", "probe")


@pytest.fixture
def private_repo(make_repository) -> Repository:
    return make_repository("closed-probe", "probe", private=True)


@pytest.fixture
def other_private_repo(make_repository) -> Repository:
    return make_repository("other-probe", "probe", private=True)


@pytest.fixture
def grant(db):
    def make(role: Role, *, user=None, group=None, repository=None) -> RepositoryRole:
        return RepositoryRole.objects.create(
            user=user, group=group, repository=repository, role=role
        )

    return make


def basic(user, password: str = PASSWORD) -> str:
    return basic_auth(user.username, password)


def token_basic(token: str, username: str = "__token__") -> str:
    return "Basic " + base64.b64encode(f"{username}:{token}".encode()).decode()


def bearer(token: str) -> str:
    return f"Bearer {token}"


@pytest.fixture
def call(client):
    def send(method: str, url: str, auth: str | None = None, body: dict | None = None):
        headers = {"HTTP_AUTHORIZATION": auth} if auth else {}
        if body is not None:
            data = json.dumps(body)
            return client.generic(method, url, data, content_type="application/json", **headers)
        return client.generic(method, url, **headers)

    return send


def probe(repository: Repository, view: str) -> str:
    """The URL of one probe view in a repository, through the core dispatcher."""
    return f"/repository/{repository.name}/{view}"


def api(repository: Repository) -> str:
    return f"/api/v1/repositories/{repository.name}/"
