"""`larder proxy invalidate REPO [PACKAGE]`: what the upstream said is forgotten, so the
next request asks it again (a stale copy is served while a task refreshes it, run here)."""

import uuid

import pytest

from tests.proxy.helpers import pypi_proxy
from tests.pypi.builders import make_wheel

pytestmark = pytest.mark.usefixtures("eager_tasks")


def page(client, project: str) -> int:
    return client.get(f"/repository/py-proxy/simple/{project}/").status_code


def test_the_next_request_for_the_package_asks_the_upstream(larder, client, pypiserver):
    pypi_proxy("py-proxy", pypiserver.index_url)
    assert (page(client, "six"), page(client, "six"), page(client, "idna")) == (200, 200, 200)
    assert pypiserver.front.requests("/simple/six/") == 1
    result = larder("proxy", "invalidate", "py-proxy", "Six")
    assert (result.code, result.stderr) == (
        0,
        "larder: py-proxy will ask its upstream again for six\n",
    )
    assert page(client, "six") == 200
    assert page(client, "idna") == 200
    assert pypiserver.front.requests("/simple/six/") == 2
    assert pypiserver.front.requests("/simple/idna/") == 1


def test_without_a_package_every_package_and_404_is_forgotten(larder, client, pypiserver, tmp_path):
    pypi_proxy("py-proxy", pypiserver.index_url)
    probe = f"probe-{uuid.uuid4().hex[:8]}"
    assert (page(client, "six"), page(client, probe)) == (200, 404)
    wheel = make_wheel(probe, "1.0")
    (tmp_path / wheel.filename).write_bytes(wheel.data)
    pypiserver.seed(tmp_path / wheel.filename)
    assert page(client, probe) == 404  # the upstream's 404 is remembered a while
    assert larder("proxy", "invalidate", "py-proxy").stderr == (
        "larder: py-proxy will ask its upstream again for every package\n"
    )
    assert page(client, probe) == 200
    page(client, "six")
    assert pypiserver.front.requests("/simple/six/") == 2


def test_it_refuses_what_is_not_a_proxy(larder, make_repository):
    make_repository("py", "pypi")
    assert larder("proxy", "invalidate", "py").stderr == (
        "larder: error: py is a hosted repository: only proxies keep upstream metadata\n"
    )
    assert larder("proxy", "invalidate", "nope", "six").stderr == (
        "larder: error: no repository named 'nope'\n"
    )
