"""Anonymous reads of public documents are answered without Django until a write.

The layer sits in front of Django (repository/wsgi.py), so these tests call the WSGI
application as gunicorn does. Writes go through Django's test client, as another web
process would make them: the kept answers learn of them only through Redis.
"""

import json

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from repository.observability.metrics import REQUEST_SECONDS
from repository.responsecache import SharedAnswerCache
from repository.services.repositories import update_repository
from tests.conftest import PASSWORD, basic_auth
from tests.npm.conftest import make_tarball, publish_body

PACKUMENT = "/repository/shared/demo"
DEPLOYER = {"Authorization": basic_auth("deployer", PASSWORD)}


class CountingDjango:
    """Django's own WSGI handler, counting the requests that reach it."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        # As Django's test client does (and undoes after each of its own requests): the
        # test's transaction must survive the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def django_app(db):
    yield CountingDjango()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def app(django_app):
    return SharedAnswerCache(django_app)


@pytest.fixture
def repo(make_repository):
    return make_repository("shared", "npm")


def publish(client, version: str) -> None:
    body = publish_body("demo", version, make_tarball({"name": "demo", "version": version}))
    response = client.put(
        PACKUMENT, data=json.dumps(body), content_type="application/json", headers=DEPLOYER
    )
    assert response.status_code == 201, response.content


@pytest.fixture
def published(repo, client):
    publish(client, "1.0.0")


class Answer:
    def __init__(self, app, path: str, headers: dict[str, str], method: str = "GET") -> None:
        environ = RequestFactory().generic(method, path, headers=headers).environ
        started: list = []
        chunks = app(
            environ, lambda status, headers, exc_info=None: started.extend([status, headers])
        )
        self.body = b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
        self.status = int(started[0].split()[0])
        self.headers = dict(started[1])

    def json(self) -> dict:
        return json.loads(self.body)


def get(app, path: str = PACKUMENT, **headers: str) -> Answer:
    return Answer(app, path, {"Accept": "application/json", **headers})


def test_a_second_anonymous_read_never_reaches_django(published, app, django_app):
    first = get(app)
    second = get(app)
    assert django_app.calls == 1
    assert second.status == 200
    assert second.body == first.body
    same = {k: v for k, v in second.headers.items() if k != "X-Request-Id"}
    assert same == {k: v for k, v in first.headers.items() if k != "X-Request-Id"}


def test_a_publish_elsewhere_is_seen_by_the_very_next_read(published, app, client):
    assert set(get(app).json()["versions"]) == {"1.0.0"}
    publish(client, "1.0.1")
    assert set(get(app).json()["versions"]) == {"1.0.0", "1.0.1"}


def test_each_answer_has_its_own_request_id_or_the_balancers(published, app):
    ids = {get(app).headers["X-Request-Id"] for _ in range(3)}
    assert len(ids) == 3
    assert get(app, **{"X-Request-Id": "lb-42"}).headers["X-Request-Id"] == "lb-42"


def test_answers_differ_by_host_accept_and_encoding(published, app, django_app):
    here = get(app).json()["versions"]["1.0.0"]["dist"]["tarball"]
    there = get(app, Host="mirror.example").json()["versions"]["1.0.0"]["dist"]["tarball"]
    assert here.startswith("http://testserver/") and there.startswith("http://mirror.example/")
    abbreviated = get(app, Accept="application/vnd.npm.install-v1+json")
    assert "description" not in abbreviated.json()
    gzipped = get(app, **{"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert django_app.calls == 4


def test_a_conditional_read_gets_its_304_kept_apart(published, app, django_app):
    etag = get(app).headers["ETag"]
    for _ in range(2):
        revalidated = get(app, **{"If-None-Match": etag})
        assert (revalidated.status, revalidated.body) == (304, b"")
    assert get(app).status == 200
    assert django_app.calls == 2


def test_head_is_answered_as_head(published, app):
    get(app)
    head = Answer(app, PACKUMENT, {"Accept": "application/json"}, method="HEAD")
    assert head.status == 200 and head.body == b""
    assert int(head.headers["Content-Length"]) > 0


def test_requests_with_credentials_or_cookies_always_reach_django(published, app, django_app):
    for _ in range(2):
        assert get(app, **DEPLOYER).status == 200
        assert get(app, Cookie="sessionid=abc").status == 200
    assert django_app.calls == 4


def test_a_repository_made_private_refuses_the_next_anonymous_read(published, repo, app):
    get(app)
    update_repository(repo, private=True)
    assert get(app).status == 401


def test_a_private_repositorys_documents_are_never_kept(published, repo, app, django_app):
    update_repository(repo, private=True)
    assert get(app).status == 401
    assert get(app).status == 401
    assert django_app.calls == 2


def test_without_redis_nothing_is_kept(published, app, django_app, settings):
    settings.REDIS_URL = ""
    get(app)
    get(app)
    assert django_app.calls == 2


def test_kept_answers_expire_even_if_redis_missed_a_change(published, app, django_app, settings):
    settings.LARDER_HOT_CACHE_SECONDS = 0
    get(app)
    get(app)
    assert django_app.calls == 2


def test_kept_answers_are_counted_in_the_request_metrics(published, app):
    get(app)
    series = REQUEST_SECONDS.labels(route="repository", method="GET", status="200")
    before = series._sum.get(), sum(bucket.get() for bucket in series._buckets)
    get(app)
    after = series._sum.get(), sum(bucket.get() for bucket in series._buckets)
    assert after[1] == before[1] + 1
