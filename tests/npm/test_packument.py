"""GET /<name>: full and abbreviated packuments, scoped paths, caching, semver order."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from formats.npm import packument
from formats.npm.packument import ABBREVIATED_CONTENT_TYPE
from repository.cache import documents
from repository.cache.documents import warming_marker
from repository.cache.rows import Reads
from repository.formats import get_format
from repository.models import Package, Version
from repository.services.packages import package_changed
from repository.sources import source_for
from repository.tasks import warm_package_documents
from tests.conftest import PASSWORD, basic_auth
from tests.npm.conftest import REPO

CORGI = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"


@pytest.fixture
def published(publish):
    publish(
        "demo",
        "1.0.0",
        {
            "description": "a demo",
            "dependencies": {"dep": "^1.0.0"},
            "os": ["linux"],
            "libc": ["glibc"],
            "scripts": {"test": "true"},
        },
        files={"package/README.md": b"# Demo"},
    )


def test_it_serves_the_full_document(client, published, deployer):
    response = client.get(f"{REPO}/demo")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    document = response.json()
    assert document["_id"] == "demo"
    assert document["_rev"].split("-")[0].isdigit()
    assert document["name"] == "demo"
    assert document["dist-tags"] == {"latest": "1.0.0"}
    assert set(document["time"]) == {"created", "modified", "1.0.0"}
    assert document["time"]["1.0.0"].endswith("Z")
    assert document["maintainers"] == [{"name": "deployer", "email": deployer.email}]
    assert document["readme"] == "# Demo"
    assert document["description"] == "a demo"
    version = document["versions"]["1.0.0"]
    assert version["_id"] == "demo@1.0.0"
    assert version["scripts"] == {"test": "true"}
    assert version["_npmUser"]["name"] == "deployer"
    assert set(version["dist"]) == {"tarball", "shasum", "integrity", "fileCount", "unpackedSize"}


def test_it_serves_the_abbreviated_document_to_installers(client, published):
    response = client.get(f"{REPO}/demo", HTTP_ACCEPT=CORGI)
    assert response["Content-Type"] == ABBREVIATED_CONTENT_TYPE
    assert "Accept" in response["Vary"]
    document = response.json()
    assert set(document) == {"name", "modified", "dist-tags", "versions", "time"}
    assert set(document["time"]) == {"created", "modified", "1.0.0"}
    version = document["versions"]["1.0.0"]
    assert version["dependencies"] == {"dep": "^1.0.0"}
    assert version["os"] == ["linux"]
    assert version["libc"] == ["glibc"]
    assert version["_hasShrinkwrap"] is False
    assert "scripts" not in version
    assert "description" not in version


def test_it_lists_deprecation_in_the_abbreviated_document(client, published):
    Version.objects.filter(version="1.0.0").update(deprecated="use 2")
    package_changed(Package.objects.get())
    version = client.get(f"{REPO}/demo", HTTP_ACCEPT=CORGI).json()["versions"]["1.0.0"]
    assert version["deprecated"] == "use 2"


def test_it_prefers_json_when_the_client_ranks_it_higher(client, published):
    accept = "application/json; q=1, application/vnd.npm.install-v1+json; q=0.5"
    assert client.get(f"{REPO}/demo", HTTP_ACCEPT=accept)["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["@acme%2fwidget", "@acme%2Fwidget", "@acme/widget"])
def test_it_serves_scoped_packages_at_every_escaping(client, publish, path):
    publish("@acme/widget", "1.0.0")
    response = client.get(f"{REPO}/{path}")
    assert response.status_code == 200
    assert response.json()["name"] == "@acme/widget"


def test_it_answers_404_for_unknown_packages(client, npm_repository):
    response = client.get(f"{REPO}/nothing")
    assert response.status_code == 404
    assert response.json() == {"error": "package nothing not found"}


def test_it_answers_401_to_anonymous_readers_of_private_repositories(client, make_repository):
    make_repository("npm-hosted", "npm", private=True)
    response = client.get(f"{REPO}/demo")
    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")
    assert "error" in response.json()


def test_it_answers_404_to_outsiders_of_private_repositories(client, make_repository, outsider):
    make_repository("npm-hosted", "npm", private=True)
    response = client.get(f"{REPO}/demo", HTTP_AUTHORIZATION=basic_auth("outsider", PASSWORD))
    assert response.status_code == 404


def test_it_answers_405_to_other_methods(client, published, deployer_auth):
    response = client.post(f"{REPO}/demo", **deployer_auth)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, PUT"
    assert "error" in response.json()


def test_it_answers_304_to_a_matching_etag(client, published):
    etag = client.get(f"{REPO}/demo")["ETag"]
    response = client.get(f"{REPO}/demo", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_it_answers_head_with_the_headers_of_get(client, published):
    get = client.get(f"{REPO}/demo")
    head = client.head(f"{REPO}/demo")
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == get["Content-Length"]
    assert head["ETag"] == get["ETag"]


def test_it_orders_versions_and_latest_by_semver(client, publish):
    for version in ("1.9.0", "1.10.0", "1.2.0"):
        publish("demo", version, tags={})
    document = client.get(f"{REPO}/demo").json()
    assert list(document["versions"]) == ["1.2.0", "1.9.0", "1.10.0"]
    assert document["dist-tags"]["latest"] == "1.9.0"  # the first publish claimed it


def test_it_moves_latest_with_each_default_publish(client, publish):
    publish("demo", "1.9.0")
    publish("demo", "1.10.0")
    assert client.get(f"{REPO}/demo").json()["dist-tags"]["latest"] == "1.10.0"


def test_it_serves_a_single_version_by_number_and_by_tag(client, publish):
    publish("demo", "1.0.0")
    publish("demo", "2.0.0-beta.1", tags={"beta": "2.0.0-beta.1"})
    by_number = client.get(f"{REPO}/demo/1.0.0").json()
    by_tag = client.get(f"{REPO}/demo/beta").json()
    assert by_number["version"] == "1.0.0"
    assert by_tag["version"] == "2.0.0-beta.1"
    assert by_tag["dist"]["tarball"].endswith("/demo/-/demo-2.0.0-beta.1.tgz")
    assert client.get(f"{REPO}/demo/latest").json()["version"] == "1.0.0"


def test_it_serves_a_single_scoped_version(client, publish):
    publish("@acme/widget", "1.0.0")
    assert client.get(f"{REPO}/@acme%2fwidget/1.0.0").json()["name"] == "@acme/widget"


def test_it_answers_404_for_unknown_versions(client, published):
    response = client.get(f"{REPO}/demo/9.9.9")
    assert response.status_code == 404
    assert "error" in response.json()


def test_it_answers_405_to_writes_on_a_version(client, published, deployer_auth):
    assert client.delete(f"{REPO}/demo/1.0.0", **deployer_auth).status_code == 405


def _queries(client, path: str, **headers) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(path, **headers).status_code == 200
    return len(context.captured_queries)


def test_it_reads_a_packument_in_the_same_queries_whatever_its_versions(client, publish):
    publish("small", "1.0.0")
    for minor in range(12):
        publish("large", f"1.{minor}.0")
    for headers in ({}, {"HTTP_ACCEPT": CORGI}):
        client.get(f"{REPO}/small", **headers)
        client.get(f"{REPO}/large", **headers)
        assert _queries(client, f"{REPO}/small", **headers) == _queries(
            client, f"{REPO}/large", **headers
        )


def test_it_renders_a_packument_once_per_write(client, publish, monkeypatch):
    publish("demo", "1.0.0")
    renders = []
    original = packument.build
    monkeypatch.setattr(
        packument, "build", lambda *args: renders.append(args[2] == "full") or original(*args)
    )
    for _ in range(3):
        client.get(f"{REPO}/demo")
    assert renders == [True]
    publish("demo", "1.1.0")
    document = client.get(f"{REPO}/demo").json()
    assert "1.1.0" in document["versions"]
    assert renders == [True, True]


def test_it_changes_rev_and_etag_on_each_write(client, publish):
    publish("demo", "1.0.0")
    before = client.get(f"{REPO}/demo")
    publish("demo", "1.1.0")
    after = client.get(f"{REPO}/demo")
    assert before.json()["_rev"] != after.json()["_rev"]
    assert before["ETag"] != after["ETag"]


def test_it_marks_write_reads_uncacheable(client, published):
    response = client.get(f"{REPO}/demo?write=true")
    assert response["Cache-Control"] == "no-cache"
    assert "_rev" in json.loads(response.content)


@pytest.mark.parametrize("accept", [CORGI, "application/json"])
def test_a_warmed_package_serves_its_next_read_without_rendering(
    client, published, monkeypatch, accept
):
    package = Package.objects.get(name="demo")
    warm_package_documents(package.pk, package.generation)
    monkeypatch.setattr(packument, "build", lambda *args: pytest.fail("rendered on read"))
    response = client.get(f"{REPO}/demo", HTTP_ACCEPT=accept)
    assert response.status_code == 200
    assert response.json()["versions"]["1.0.0"]["dist"]["tarball"].startswith("http://testserver/")


def test_warming_skips_a_generation_a_later_write_superseded(client, published, monkeypatch):
    package = Package.objects.get(name="demo")
    monkeypatch.setattr(packument, "build", lambda *args: pytest.fail("rendered"))
    warm_package_documents(package.pk, package.generation - 1)


def test_a_read_waits_for_the_worker_rendering_the_same_generation(client, published, monkeypatch):
    """npm reads the packument right after publishing: one render, not a second beside it."""
    package = Package.objects.get(name="demo")
    cache.add(warming_marker(package.pk, package.generation), "1")
    original = packument.build

    def worker_finishes(seconds):
        with monkeypatch.context() as worker:
            worker.setattr(packument, "build", original)
            source = source_for(package.repository, Reads(keep=False))
            for spec in get_format("npm").warmed_documents(package):
                source.stored(spec, package)

    monkeypatch.setattr(documents.time, "sleep", worker_finishes)
    monkeypatch.setattr(packument, "build", lambda *args: pytest.fail("rendered on read"))
    response = client.get(f"{REPO}/demo")
    assert response.status_code == 200
    assert "1.0.0" in response.json()["versions"]
