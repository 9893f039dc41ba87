"""dist.tarball is absolute and on exactly the host the client used (tokens go by URL)."""

import pytest

from tests.npm.conftest import REPO


@pytest.fixture
def published(publish):
    publish("demo", "1.0.0")


def tarball_url(client, **headers) -> str:
    return client.get(f"{REPO}/demo", **headers).json()["versions"]["1.0.0"]["dist"]["tarball"]


def test_it_uses_the_host_header(client, published):
    url = tarball_url(client, HTTP_HOST="npm.internal:8443")
    assert url == "http://npm.internal:8443/repository/npm-hosted/demo/-/demo-1.0.0.tgz"
    assert tarball_url(client, HTTP_HOST="other:1").startswith("http://other:1/")


def test_it_gives_each_host_its_own_etag(client, published):
    one = client.get(f"{REPO}/demo", HTTP_HOST="a.test")["ETag"]
    two = client.get(f"{REPO}/demo", HTTP_HOST="b.test")["ETag"]
    assert one != two


def test_it_uses_the_host_in_single_version_documents(client, published):
    document = client.get(f"{REPO}/demo/1.0.0", HTTP_HOST="c.test").json()
    assert document["dist"]["tarball"].startswith("http://c.test/repository/npm-hosted/")


def test_it_prefers_the_configured_public_url(client, published, settings):
    settings.LARDER_PUBLIC_URL = "https://npm.example.com"
    url = tarball_url(client, HTTP_HOST="internal:8000")
    assert url == "https://npm.example.com/repository/npm-hosted/demo/-/demo-1.0.0.tgz"


def test_it_follows_forwarded_headers_only_from_a_trusted_proxy(client, published, settings):
    forwarded = {"HTTP_X_FORWARDED_HOST": "npm.example.com", "HTTP_X_FORWARDED_PROTO": "https"}
    assert tarball_url(client, HTTP_HOST="internal", **forwarded).startswith("http://internal/")
    # LARDER_TRUST_PROXY=true turns on Django's forwarded-header handling (repository/settings).
    settings.LARDER_TRUST_PROXY = True
    settings.USE_X_FORWARDED_HOST = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    url = tarball_url(client, HTTP_HOST="internal", **forwarded)
    assert url == "https://npm.example.com/repository/npm-hosted/demo/-/demo-1.0.0.tgz"
