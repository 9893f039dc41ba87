"""A proxy's first answer of an npm package: npm resolves one packument at a time, so a
cold install waits on every cold packument in turn. The abbreviated packument of a package
never fetched is answered from the upstream's document as soon as it arrives, exactly as
the rows will give it, and the rows are written once the answer is sent (while npm reads
it), with every other request for the package waiting for them."""

import json
import time

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from repository import serving
from repository.models import Package
from repository.proxy.flight import StillInFlight
from repository.proxy.refresh import fetch_once
from repository.services.repositories import create_repository
from tests.e2e.test_npm_proxy import get_json, serve_ms_with_an_old_first_version

pytestmark = pytest.mark.django_db(transaction=True)

ABBREVIATED = "application/vnd.npm.install-v1+json"
PATH = "/repository/npm-first/ms"


@pytest.fixture(autouse=True)
def patient_sending(monkeypatch):
    """The tests hold an answer's sending open as long as they need (close() ends it)."""
    monkeypatch.setattr(serving, "SLOW_CLIENT_SECONDS", 600.0)


def _proxy(verdaccio, **settings):
    proxy = {"upstream": verdaccio.registry, "read_ahead": False, **settings}
    return create_repository("npm-first", "npm", kind="proxy", settings={"proxy": proxy})


class Served:
    """One request through Django's WSGI handler, as gunicorn makes it: the answer is
    read first, and closed (the end of the request) only when the test says."""

    def __init__(self, path: str, accept: str) -> None:
        environ = RequestFactory().get(path, HTTP_ACCEPT=accept).environ
        self.statuses: list[str] = []
        with CaptureQueriesContext(connection) as queries:
            self.response = WSGIHandler()(environ, self._start)
            self.body = b"".join(self.response)
        self.queries = [query["sql"] for query in queries.captured_queries]

    def _start(self, status, headers, exc_info=None) -> None:
        self.statuses.append(status)

    def json(self) -> dict:
        return json.loads(self.body)


def test_a_cold_packument_is_answered_before_its_rows_are_written(verdaccio):
    repository = _proxy(verdaccio)
    first = Served(PATH, ABBREVIATED)
    assert first.statuses == ["200 OK"]
    assert not [sql for sql in first.queries if sql.startswith(("INSERT", "UPDATE"))]
    assert not Package.objects.filter(repository=repository, name="ms").exists()
    with pytest.raises(StillInFlight):  # anyone else asking now waits for the rows
        fetch_once(repository, "ms", wait_seconds=0.2)

    first.response.close()  # the answer is sent: the rows are written
    assert Package.objects.filter(repository=repository, name="ms").exists()
    stored = Client().get(PATH, HTTP_ACCEPT=ABBREVIATED).json()
    answered = first.json()
    assert set(answered["versions"]) == {"2.1.2", "2.1.3"}
    for key in ("name", "modified", "dist-tags", "versions", "time"):
        assert answered[key] == stored[key]
    tarball = answered["versions"]["2.1.3"]["dist"]["tarball"]
    assert tarball == "http://testserver/repository/npm-first/ms/-/ms-2.1.3.tgz"
    assert verdaccio.front.requests("/ms") == 1


def test_the_first_answer_holds_back_what_the_cooldown_holds_back(verdaccio):
    _proxy(verdaccio, cooldown_days=7)
    serve_ms_with_an_old_first_version(verdaccio)
    first = Served(PATH, ABBREVIATED)
    first.response.close()
    answered = first.json()
    assert list(answered["versions"]) == ["2.1.2"]
    assert answered["dist-tags"] == {"latest": "2.1.2"}  # upstream's latest is held back
    assert Client().get(PATH, HTTP_ACCEPT=ABBREVIATED).json()["dist-tags"] == {"latest": "2.1.2"}


def test_the_full_packument_is_answered_first_too_with_the_revision_its_rows_give(verdaccio):
    """npm install reads full packuments: the first answer's `_rev`, times and versions
    are those the stored rows give afterwards."""
    repository = _proxy(verdaccio)
    first = Served(PATH, "application/json")
    assert not Package.objects.filter(repository=repository, name="ms").exists()
    first.response.close()
    answered = first.json()
    stored = Client().get(PATH, HTTP_ACCEPT="application/json").json()
    for key in ("_id", "_rev", "name", "dist-tags", "versions", "maintainers", "readme"):
        assert answered[key] == stored[key]
    assert answered["time"] == stored["time"]
    assert set(answered["versions"]) == {"2.1.2", "2.1.3"}


def test_a_package_the_upstream_lacks_is_a_404_and_remembered(verdaccio):
    _proxy(verdaccio)
    missing = Served("/repository/npm-first/no-such-package", ABBREVIATED)
    missing.response.close()
    assert missing.statuses[0].startswith("404")
    again = Client().get("/repository/npm-first/no-such-package", HTTP_ACCEPT=ABBREVIATED)
    assert again.status_code == 404
    assert verdaccio.front.requests("/no-such-package") == 1


def test_versions_the_upstream_gives_no_time_carry_the_same_time_first_and_after(verdaccio):
    _, packument = get_json(verdaccio.backend_url + "/ms")
    del packument["time"]
    verdaccio.front.fault(
        path="/ms",
        status=200,
        body=json.dumps(packument).encode(),
        headers=(("Content-Type", "application/json"),),
    )
    _proxy(verdaccio)
    first = Served(PATH, "application/json")
    first.response.close()
    stored = Client().get(PATH, HTTP_ACCEPT="application/json").json()
    assert first.json()["time"] == stored["time"]
    assert set(stored["time"]) >= {"2.1.2", "2.1.3"}


def test_a_slow_client_does_not_hold_back_the_rows_others_wait_for(verdaccio, monkeypatch):
    monkeypatch.setattr(serving, "SLOW_CLIENT_SECONDS", 0.05)
    repository = _proxy(verdaccio)
    environ = RequestFactory().get(PATH, HTTP_ACCEPT=ABBREVIATED).environ
    response = WSGIHandler()(environ, lambda status, headers, exc_info=None: None)
    sending = iter(response)  # the server has begun sending; the client reads slowly
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if Package.objects.filter(repository=repository, name="ms").exists():
            break
        time.sleep(0.02)
    # Stored while the answer is still being sent: the next request is answered from
    # the rows, without waiting for this client.
    assert Client().get(PATH, HTTP_ACCEPT=ABBREVIATED).json()["name"] == "ms"
    assert b"".join(sending)
    response.close()
    assert verdaccio.front.requests("/ms") == 1
