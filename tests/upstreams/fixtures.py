"""Pytest fixtures for the real upstream registries (a plugin: tests/conftest.py loads it).

    def test_it_fetches_once(pypiserver):
        ... fetch pypiserver.index_url + "six/" through Larder twenty times ...
        assert pypiserver.front.requests("/simple/six/") == 1

Each server starts once per test process (session scope), seeded with the real packages
of tests/upstreams/packages.py; `pypiserver`, `devpi`, `verdaccio` and `static_files`
hand it to a test with its counts and faults cleared and its front listening, whatever
the test before did (`front.stop()` to take it down, `front.down()` for a block).
Seed more with `.seed(...)`: what a test adds stays for the session, so use names no other
test expects to be absent.
"""

from collections.abc import Iterator

import pytest

from tests.upstreams.packages import RealPackages, real_packages
from tests.upstreams.servers import Devpi, PypiServer, StaticFiles, Upstream, Verdaccio


@pytest.fixture(scope="session")
def upstream_packages() -> RealPackages:
    return real_packages()


def _running(server: Upstream, seed: tuple) -> Iterator[Upstream]:
    server.start()
    try:
        if seed:
            server.seed(*seed)
        yield server
    finally:
        server.stop()


def _fresh(server: Upstream) -> Iterator[Upstream]:
    server.front.start()
    server.front.reset()
    yield server
    server.front.reset()


@pytest.fixture(scope="session")
def pypiserver_session(tmp_path_factory, upstream_packages) -> Iterator[PypiServer]:
    yield from _running(PypiServer(tmp_path_factory.mktemp("pypiserver")), upstream_packages.python)


@pytest.fixture(scope="session")
def devpi_session(tmp_path_factory, upstream_packages) -> Iterator[Devpi]:
    yield from _running(Devpi(tmp_path_factory.mktemp("devpi")), upstream_packages.python)


@pytest.fixture(scope="session")
def verdaccio_session(tmp_path_factory, upstream_packages) -> Iterator[Verdaccio]:
    yield from _running(Verdaccio(tmp_path_factory.mktemp("verdaccio")), upstream_packages.npm)


@pytest.fixture(scope="session")
def static_files_session(tmp_path_factory) -> Iterator[StaticFiles]:
    yield from _running(StaticFiles(tmp_path_factory.mktemp("static-files")), ())


@pytest.fixture
def pypiserver(pypiserver_session) -> Iterator[PypiServer]:
    """pypiserver: PEP 503 HTML only, files answer Range requests."""
    yield from _fresh(pypiserver_session)


@pytest.fixture
def devpi(devpi_session) -> Iterator[Devpi]:
    """devpi-server: PEP 691 JSON and PEP 658 files; files ignore Range requests."""
    yield from _fresh(devpi_session)


@pytest.fixture
def verdaccio(verdaccio_session) -> Iterator[Verdaccio]:
    """Verdaccio with no uplinks: the npm upstream."""
    yield from _fresh(verdaccio_session)


@pytest.fixture
def static_files(static_files_session) -> Iterator[StaticFiles]:
    """A plain static file server: the generic upstream."""
    yield from _fresh(static_files_session)
