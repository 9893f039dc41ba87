"""Anonymous reads of public documents are answered without Django until a write.

The layer sits in front of Django (repository/wsgi.py), so these tests call the WSGI
application as gunicorn does. Writes go through Django's test client, as another web
process would make them: the kept answers learn of them only through Redis.
"""

import json
import time
from wsgiref.util import FileWrapper

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import RequestFactory

from repository.cache.answers import MARK, Shared, SharedAnswerCache
from repository.cache.stamps import stamps
from repository.counters import flush_download_counts
from repository.models import Asset, Repository
from repository.observability.metrics import REQUEST_SECONDS
from repository.services.packages import delete_asset
from repository.services.repositories import update_repository
from tests.conftest import PASSWORD, basic_auth
from tests.core.seam import serve_document
from tests.npm.conftest import make_tarball, publish_body
from tests.pypi.builders import make_wheel
from tests.pypi.conftest import form_for

PACKUMENT = "/repository/shared/demo"
DEPLOYER = {"Authorization": basic_auth("deployer", PASSWORD)}
# What gunicorn puts in the environ; Django then returns its wrapper of a file response.
GUNICORN = {"wsgi.file_wrapper": FileWrapper}


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
    def __init__(
        self, app, path: str, headers: dict[str, str], method: str = "GET", **environ_extra
    ) -> None:
        environ = RequestFactory().generic(method, path, headers=headers, **environ_extra).environ
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


def get(app, path: str = PACKUMENT, scheme: str = "http", **headers: str) -> Answer:
    return Answer(
        app, path, {"Accept": "application/json", **headers}, **{"wsgi.url_scheme": scheme}
    )


def tarball_url(answer: Answer) -> str:
    return answer.json()["versions"]["1.0.0"]["dist"]["tarball"]


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


def test_answers_differ_by_host_scheme_accept_and_encoding(published, app, django_app):
    here = tarball_url(get(app))
    there = tarball_url(get(app, Host="mirror.example"))
    assert here.startswith("http://testserver/") and there.startswith("http://mirror.example/")
    assert tarball_url(get(app, scheme="https")).startswith("https://testserver")
    abbreviated = get(app, Accept="application/vnd.npm.install-v1+json")
    assert "description" not in abbreviated.json()
    gzipped = get(app, **{"Accept-Encoding": "gzip"})
    assert gzipped.headers["Content-Encoding"] == "gzip"
    assert django_app.calls == 5


def test_behind_a_trusted_proxy_answers_differ_by_forwarded_host_and_proto(
    published, django_app, settings
):
    settings.LARDER_TRUST_PROXY = settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    app = SharedAnswerCache(django_app)  # started behind the proxy
    get(app)
    forwarded = {"X-Forwarded-Host": "repo.example", "X-Forwarded-Proto": "https"}
    assert tarball_url(get(app, **forwarded)).startswith("https://repo.example/")
    assert tarball_url(get(app, **{**forwarded, "X-Forwarded-Proto": "http"})).startswith(
        "http://repo.example/"
    )


def test_requests_with_a_query_string_always_reach_django(published, app, django_app):
    for _ in range(2):
        assert get(app, PACKUMENT + "?write=true").status == 200
    assert django_app.calls == 2


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


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
def test_a_private_repositorys_documents_are_never_marked_for_keeping(repo, private):
    update_repository(repo, private=private)
    request = RequestFactory().get("/")
    response = serve_document(
        request,
        repository=Repository.objects.get(pk=repo.pk),
        package=None,
        key="page",
        content_type="text/plain",
        render=lambda: b"private",
    )
    assert response.status_code == 200
    assert (MARK in request.META) is not private


def test_answers_that_set_a_cookie_are_never_kept(db):
    calls = []
    kept = ((1, stamps().read([1])[0]),)

    def view_setting_a_cookie(environ, start_response):
        calls.append(1)
        response = HttpResponse(b"hello")
        environ[MARK] = (response, Shared(kept, time.monotonic() + 30, "repository"))
        start_response("200 OK", [("Set-Cookie", "csrftoken=x"), ("Content-Length", "5")])
        return response

    app = SharedAnswerCache(view_setting_a_cookie)
    for _ in range(2):
        assert Answer(app, PACKUMENT, {}).body == b"hello"
    assert len(calls) == 2


def test_without_redis_answers_are_kept_under_the_data_directorys_stamps(
    repo, app, django_app, client, settings
):
    """The embedded default: stamps are files every process of the host reads."""
    settings.REDIS_URL = ""
    publish(client, "1.0.0")
    get(app)
    assert set(get(app).json()["versions"]) == {"1.0.0"}
    assert django_app.calls == 1
    publish(client, "1.0.1")
    assert set(get(app).json()["versions"]) == {"1.0.0", "1.0.1"}


def test_kept_answers_expire_even_if_redis_missed_a_change(published, app, django_app, settings):
    settings.LARDER_HOT_CACHE_SECONDS = 0
    get(app)
    get(app)
    assert django_app.calls == 2


def test_an_answer_is_kept_no_longer_than_the_rows_it_was_built_from(
    published, app, django_app, settings
):
    settings.LARDER_HOT_CACHE_SECONDS = 1
    get(app)  # reads the rows now: they may be kept for a second
    time.sleep(0.6)
    get(app, **{"Accept-Encoding": "gzip"})  # built from those rows, 0.6 s old
    time.sleep(0.6)
    get(app, **{"Accept-Encoding": "gzip"})  # its rows have expired: through Django
    assert django_app.calls == 3


def test_kept_answers_are_counted_in_the_request_metrics(published, app):
    get(app)
    series = REQUEST_SECONDS.labels(route="repository", method="GET", status="200")
    before = series._sum.get(), sum(bucket.get() for bucket in series._buckets)
    get(app)
    after = series._sum.get(), sum(bucket.get() for bucket in series._buckets)
    assert after[1] == before[1] + 1


def test_answers_with_empty_bodies_still_count_against_the_budget(published, django_app, settings):
    settings.LARDER_DOCUMENT_CACHE_BYTES = 16 * 1024
    app = SharedAnswerCache(django_app)  # started with that budget

    def head(tag: str) -> None:
        Answer(app, PACKUMENT, {"Accept": "application/json", "If-None-Match": tag}, "HEAD")

    for i in range(40):  # each a kept answer with no body
        head(f'"{i}"')
    calls = django_app.calls
    head('"0"')
    assert django_app.calls == calls + 1  # the oldest made room long ago


@pytest.mark.parametrize("server_wraps_files", [True, False], ids=["gunicorn", "plain"])
def test_a_second_anonymous_download_never_reaches_django_and_is_counted(
    published, app, django_app, server_wraps_files
):
    url = tarball_url(get(app)).removeprefix("http://testserver")
    wrapper = GUNICORN if server_wraps_files else {}
    first = Answer(app, url, {}, **wrapper)
    second = Answer(app, url, {}, **wrapper)
    assert django_app.calls == 2
    assert (second.status, second.body) == (200, first.body)
    assert second.headers["Content-Length"] == str(len(first.body))
    flush_download_counts()
    assert Asset.objects.get(filename="demo-1.0.0.tgz").download_count == 2


@pytest.fixture
def tarball(published, app) -> str:
    """The tarball's path, downloaded once: its answer is kept."""
    url = tarball_url(get(app)).removeprefix("http://testserver")
    assert Answer(app, url, {}, **GUNICORN).status == 200
    return url


def test_a_kept_download_never_answers_a_range_or_a_conditional_request(tarball, app):
    whole = Answer(app, tarball, {}, **GUNICORN).body
    part = Answer(app, tarball, {"Range": "bytes=0-9"}, **GUNICORN)
    assert (part.status, part.body) == (206, whole[:10])
    since = Answer(app, tarball, {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert (since.status, since.body) == (304, b"")
    assert Answer(app, tarball, {}, **GUNICORN).body == whole


def test_heads_of_a_kept_download_are_not_counted(tarball, app):
    for _ in range(2):
        head = Answer(app, tarball, {}, method="HEAD", **GUNICORN)
        assert (head.status, head.body) == (200, b"")
    flush_download_counts()
    assert Asset.objects.get(filename="demo-1.0.0.tgz").download_count == 1


def test_a_deleted_file_is_gone_on_the_next_download(tarball, app):
    delete_asset(Asset.objects.get(filename="demo-1.0.0.tgz"))
    assert Answer(app, tarball, {}, **GUNICORN).status == 404


def test_range_requests_are_kept_apart_by_their_if_range(tarball, app):
    whole = Answer(app, tarball, {}, **GUNICORN)
    stale = {"Range": "bytes=0-9", "If-Range": '"not-the-etag"'}
    assert Answer(app, tarball, stale, **GUNICORN).body == whole.body  # the whole file
    current = {"Range": "bytes=0-9", "If-Range": whole.headers["ETag"]}
    part = Answer(app, tarball, current, **GUNICORN)
    assert (part.status, part.body) == (206, whole.body[:10])


def test_a_kept_download_is_refused_once_the_repository_is_private(tarball, repo, app):
    update_repository(repo, private=True)
    assert Answer(app, tarball, {}, **GUNICORN).status == 401


def test_pep_658_metadata_is_answered_again_without_django_and_never_counted(
    make_repository, client, app, django_app
):
    # uv and pip ask for every candidate's metadata before any wheel: on a warm install
    # these are a third of the requests.
    make_repository("py", "pypi")
    wheel = make_wheel("Tiny-Pkg", "1.0")
    assert (
        client.post("/repository/py/legacy/", form_for(wheel), headers=DEPLOYER).status_code == 200
    )
    url = f"/repository/py/files/tiny-pkg/1.0/{wheel.filename}.metadata"
    first = Answer(app, url, {}, **GUNICORN)
    second = Answer(app, url, {}, **GUNICORN)
    assert django_app.calls == 1
    assert (first.status, first.body) == (200, wheel.metadata)
    assert (second.status, second.body) == (200, wheel.metadata)
    flush_download_counts()
    assert Asset.objects.get(filename=wheel.filename).download_count == 0
