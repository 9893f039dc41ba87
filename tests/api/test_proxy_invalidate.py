"""POST /api/v1/repositories/<name>/invalidate/: a proxy forgets what its upstream said
about a package (or all), so the next request asks the upstream again."""

import pytest

from repository.models import AuditEvent
from tests.proxy.helpers import pypi_proxy

pytestmark = pytest.mark.usefixtures("eager_tasks")

URL = "/api/v1/repositories/py-proxy/invalidate/"


@pytest.fixture
def proxy(pypiserver, client):
    pypi_proxy("py-proxy", pypiserver.index_url)
    for _ in range(2):
        assert client.get("/repository/py-proxy/simple/six/").status_code == 200
    assert pypiserver.front.requests("/simple/six/") == 1


@pytest.mark.parametrize(("body", "named"), [({"package": "SIX"}, "six"), ({}, None)])
def test_the_next_request_asks_the_upstream(api, client, admin, proxy, pypiserver, body, named):
    response = api("POST", URL, user=admin, body=body)
    assert (response.status_code, response.json()) == (
        200,
        {"repository": "py-proxy", "package": named},
    )
    assert client.get("/repository/py-proxy/simple/six/").status_code == 200
    assert pypiserver.front.requests("/simple/six/") == 2
    event = AuditEvent.objects.get(action="proxy.invalidate")
    assert (event.actor_name, event.target) == ("admin", named or "")


def test_it_needs_the_admin_role_and_a_proxy(api, admin, deployer, proxy, make_repository):
    assert api("POST", URL, body={}).status_code == 401
    assert api("POST", URL, user=deployer, body={}).status_code == 403
    assert api("POST", URL, user=admin, body={"package": 3}).json() == {
        "detail": "package must be a package's name"
    }
    make_repository("py", "pypi")
    refused = api("POST", "/api/v1/repositories/py/invalidate/", user=admin, body={})
    assert refused.json() == {
        "detail": "py is a hosted repository: only proxies keep upstream metadata"
    }
    assert api("GET", URL, user=admin).status_code == 405
    assert not AuditEvent.objects.filter(action="proxy.invalidate").exists()
