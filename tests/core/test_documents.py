"""Rendered documents are served from storage until a write changes what they show."""

import gzip

import pytest
from django.test import RequestFactory

from repository.cache.memory import MemoryCache
from repository.formats import get_format
from repository.models import Package, Repository
from repository.services.packages import package_changed
from repository.sources import DocumentSpec
from repository.tasks import warm_package_documents
from repository.urlbase import BASE_PLACEHOLDER
from tests.core.seam import serve_document


@pytest.fixture
def package(db):
    repository = Repository.objects.create(name="docs", format="pypi")
    return Package.objects.create(repository=repository, name="demo", display_name="Demo")


class Renderer:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> bytes:
        self.calls += 1
        return f"{BASE_PLACEHOLDER}/v{self.calls}".encode()


def serve(package, render, **headers):
    package = Package.objects.get(pk=package.pk)  # a fresh read, as each request does
    request = RequestFactory().get("/", **headers)
    return serve_document(
        request,
        repository=package.repository,
        package=package,
        key="page",
        content_type="text/plain",
        render=render,
        base_url="http://host:1",
    )


def test_it_renders_once_and_serves_the_stored_document(package):
    render = Renderer()
    first = serve(package, render)
    second = serve(package, render)
    assert render.calls == 1
    assert first.content == second.content == b"http://host:1/v1"


def test_it_renders_again_after_the_package_changes(package):
    render = Renderer()
    serve(package, render)
    package_changed(package)
    assert serve(package, render).content == b"http://host:1/v2"


def test_it_never_serves_a_document_rendered_before_a_write(package):
    stale = Package.objects.get(pk=package.pk)  # read before the write commits
    package_changed(package)
    request = RequestFactory().get("/")
    serve_document(
        request,
        repository=stale.repository,
        package=stale,
        key="page",
        content_type="text/plain",
        render=lambda: b"stale",
    )
    assert serve(package, Renderer()).content == b"http://host:1/v1"


def test_it_answers_304_to_a_matching_etag(package):
    render = Renderer()
    etag = serve(package, render)["ETag"]
    response = serve(package, render, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304


def test_it_gives_each_host_its_own_etag(package):
    render = Renderer()
    one = serve(package, render)
    request = RequestFactory().get("/")
    fresh = Package.objects.get(pk=package.pk)
    other = serve_document(
        request,
        repository=fresh.repository,
        package=fresh,
        key="page",
        content_type="text/plain",
        render=render,
        base_url="http://other",
    )
    assert other.content == b"http://other/v1"
    assert other["ETag"] != one["ETag"]


def test_it_sends_gzip_to_clients_that_accept_it(package):
    response = serve(package, Renderer(), HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == b"http://host:1/v1"
    assert "Accept-Encoding" in response["Vary"]


def test_it_sends_identity_to_clients_that_refuse_gzip(package):
    response = serve(package, Renderer(), HTTP_ACCEPT_ENCODING="gzip;q=0")
    assert not response.has_header("Content-Encoding")
    assert response.content == b"http://host:1/v1"


def test_it_makes_clients_revalidate_so_a_publish_shows_at_the_next_install(package):
    response = serve(package, Renderer())
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate, s-maxage=0"


def test_it_keeps_shared_caches_from_reusing_what_clients_may(package, settings):
    settings.LARDER_INDEX_MAX_AGE = 60
    response = serve(package, Renderer())
    assert response["Cache-Control"] == "public, max-age=60, must-revalidate, s-maxage=0"


def test_it_lets_shared_caches_keep_public_documents_only_when_allowed(package, settings):
    """And for as long again from the expired copy while nginx refreshes it in the
    background, so requests do not queue behind the refresh."""
    settings.LARDER_SHARED_INDEX_SECONDS = 2
    response = serve(package, Renderer())
    assert response["Cache-Control"] == (
        "public, max-age=0, must-revalidate, s-maxage=2, stale-while-revalidate=2"
    )


def test_it_keeps_private_documents_out_of_shared_caches(package, settings):
    """An nginx cache in front must never hand a private repository's page to anyone."""
    settings.LARDER_SHARED_INDEX_SECONDS = 2
    Repository.objects.filter(pk=package.repository_id).update(anonymous_read=False)
    response = serve(package, Renderer())
    assert response["Cache-Control"] == "private, max-age=0, must-revalidate"


def test_another_process_serves_the_stored_document_byte_for_byte(package, monkeypatch):
    """A web process without the document in memory reads what the renderer stored."""
    body = bytes(range(256)) + BASE_PLACEHOLDER.encode() + b"\x00tail"
    serve(package, lambda: body)
    monkeypatch.setattr("repository.cache.copies.copies", MemoryCache(0))
    served = serve(package, Renderer())
    assert served.content == body.replace(BASE_PLACEHOLDER.encode(), b"http://host:1")


def large_body(version: int) -> bytes:
    """A packument-like body: large enough to be compressed once for every process."""
    entry = f'"{version}.%d": {{"tarball": "{BASE_PLACEHOLDER}/t-%d.tgz"}}, '
    return "".join(entry % (i, i) for i in range(4000)).encode()


@pytest.fixture
def no_compressing_here(monkeypatch):
    """This process cannot compress: what it sends gzipped was compressed elsewhere."""

    def refuse(*args, **kwargs):
        raise AssertionError("compressed again")

    def arm():
        monkeypatch.setattr("repository.cache.copies.copies", MemoryCache(0))
        monkeypatch.setattr("repository.cache.copies.gzip.compress", refuse)

    return arm


def test_a_large_document_is_compressed_once_for_every_web_process(package, no_compressing_here):
    body = large_body(1)
    first = serve(package, lambda: body, HTTP_ACCEPT_ENCODING="gzip")
    no_compressing_here()  # another web process, with an empty memory
    again = serve(package, Renderer(), HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == first.content
    assert gzip.decompress(again.content) == body.replace(
        BASE_PLACEHOLDER.encode(), b"http://host:1"
    )


def test_the_renderer_compresses_a_new_version_ahead_for_the_hosts_clients_read_through(
    package, no_compressing_here, monkeypatch
):
    serve(package, lambda: large_body(1), HTTP_ACCEPT_ENCODING="gzip")  # via http://host:1
    package_changed(package)
    package.refresh_from_db()

    def render_ahead(rendered) -> list[DocumentSpec]:
        body = large_body(2)
        return [DocumentSpec("page", "text/plain", lambda *_: body, bytes, absolute_urls=True)]

    monkeypatch.setattr(get_format("pypi"), "warmed_documents", render_ahead)
    warm_package_documents(package.pk, package.generation)  # the Celery task, after a write

    no_compressing_here()
    served = serve(package, Renderer(), HTTP_ACCEPT_ENCODING="gzip")
    assert gzip.decompress(served.content) == large_body(2).replace(
        BASE_PLACEHOLDER.encode(), b"http://host:1"
    )


def test_each_host_gets_its_own_compressed_copy(package, no_compressing_here):
    serve(package, lambda: large_body(1), HTTP_ACCEPT_ENCODING="gzip")  # via http://host:1
    package = Package.objects.get(pk=package.pk)
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    other = serve_document(
        request, repository=package.repository, package=package, key="page",
        content_type="text/plain", render=Renderer(), base_url="http://other:2",
    )  # fmt: skip
    assert gzip.decompress(other.content) == large_body(1).replace(
        BASE_PLACEHOLDER.encode(), b"http://other:2"
    )


def test_a_large_document_is_sent_compressed_while_redis_is_down(package, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    served = serve(package, lambda: large_body(1), HTTP_ACCEPT_ENCODING="gzip")
    assert served.status_code == 200
    assert gzip.decompress(served.content) == large_body(1).replace(
        BASE_PLACEHOLDER.encode(), b"http://host:1"
    )
