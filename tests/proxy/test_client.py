"""The outbound client against real upstream servers: streaming, limits, failures as the
client will be told them, credentials on the upstream's own origin only, one log line."""

import logging
import socket

import pytest
from prometheus_client import REGISTRY

from repository.proxy.client import UpstreamClient, Validators, loggable
from repository.proxy.errors import (
    UpstreamError,
    UpstreamIncomplete,
    UpstreamNotFound,
    UpstreamRefused,
    UpstreamThrottled,
    UpstreamTimeout,
    UpstreamTooLarge,
)
from tests.proxy.helpers import settings_for

DATA = bytes(range(256)) * 4096  # 1 MiB


@pytest.fixture
def upstream(static_files):
    static_files.seed("files/blob.bin", DATA)
    return static_files


def client_for(upstream, label="client-test", **options) -> UpstreamClient:
    return UpstreamClient(settings_for(upstream.url + "/files/", **options), label=label)


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_it_streams_a_file_and_logs_one_line_without_the_query(upstream, caplog):
    caplog.set_level(logging.INFO, "larder.proxy.upstream")
    before = sample("larder_proxy_upstream_bytes_total", repository="client-test")
    client = client_for(upstream)
    with client.get(client.url_for("blob.bin?signature=abc123")) as response:
        assert response.status == 200
        assert response.content_length == len(DATA)
        assert b"".join(response.iter_bytes()) == DATA
        assert response.complete
    assert upstream.front.requests("/files/blob.bin") == 1
    assert sample("larder_proxy_upstream_bytes_total", repository="client-test") - before == len(
        DATA
    )
    (line,) = [r.getMessage() for r in caplog.records if r.name == "larder.proxy.upstream"]
    assert f"GET {upstream.url}/files/blob.bin?… -> 200, {len(DATA)} bytes in" in line
    assert "abc123" not in line


def test_it_sends_conditional_requests_and_returns_304(upstream):
    client = client_for(upstream)
    with client.get(client.url_for("blob.bin")) as first:
        validators = first.validators
    assert validators.last_modified
    with client.get(client.url_for("blob.bin"), validators=validators) as again:
        assert again.status == 304
    sent = upstream.front.headers("/files/blob.bin")[-1]
    assert sent["If-Modified-Since"] == validators.last_modified


def test_it_sends_etags_back_to_an_upstream_that_gives_them(verdaccio):
    client = UpstreamClient(settings_for(verdaccio.registry), label="client-test")
    with client.get(client.url_for("ms"), decode=True) as first:
        etag = first.validators.etag
        first.read()
    assert etag
    with client.get(client.url_for("ms"), validators=Validators(etag=etag)) as again:
        assert again.status == 304
    assert verdaccio.front.headers("/ms")[-1]["If-None-Match"] == etag


def test_it_asks_for_ranges_and_reads_content_range(pypiserver, upstream_packages):
    wheel = upstream_packages.python_file("idna-3.10-py3-none-any.whl")
    client = UpstreamClient(settings_for(pypiserver.index_url), label="client-test")
    url = pypiserver.url + "/packages/" + wheel.name
    with client.get(url, byte_range="bytes=-100") as tail:
        assert tail.status == 206
        size = wheel.stat().st_size
        assert tail.content_range == (size - 100, size - 1, size)
        assert tail.read() == wheel.read_bytes()[-100:]


@pytest.mark.parametrize(
    ("status", "error", "client_status"),
    [(404, UpstreamNotFound, 404), (410, UpstreamNotFound, 404), (500, UpstreamError, 502),
     (503, UpstreamError, 502), (403, UpstreamError, 502)],
)  # fmt: skip
def test_it_tells_404s_from_failures(upstream, status, error, client_status):
    upstream.front.fault(path="/files/blob.bin", status=status)
    before = sample("larder_proxy_upstream_errors_total", repository="client-test", reason="error")
    client = client_for(upstream)
    with pytest.raises(error) as caught:
        client.get(client.url_for("blob.bin"))
    assert type(caught.value) is error
    assert caught.value.client_status == client_status
    after = sample("larder_proxy_upstream_errors_total", repository="client-test", reason="error")
    assert after - before == (0 if status in {404, 410} else 1)


def test_a_429_says_when_to_ask_again(upstream):
    upstream.front.fault(path="/files/*", status=429, headers=(("Retry-After", "7"),))
    client = client_for(upstream)
    with pytest.raises(UpstreamThrottled) as caught:
        client.get(client.url_for("blob.bin"))
    assert caught.value.retry_after == 7
    assert caught.value.client_status == 503


def test_an_upstream_that_is_down_or_slow_is_an_error_or_a_timeout(upstream):
    client = client_for(upstream, read_timeout=0.3)
    with upstream.front.down(), pytest.raises(UpstreamError) as caught:
        client.get(client.url_for("blob.bin"))
    assert caught.value.client_status == 502
    upstream.front.fault(path="/files/blob.bin", delay=1.0, times=1)
    with pytest.raises(UpstreamTimeout) as slow:
        client.get(client.url_for("blob.bin"))
    assert slow.value.client_status == 504


def test_a_body_that_breaks_off_is_incomplete(upstream):
    upstream.front.fault(path="/files/blob.bin", cut_after=100_000)
    client = client_for(upstream)
    response = client.get(client.url_for("blob.bin"))
    with pytest.raises(UpstreamIncomplete):
        response.read()
    assert not response.complete


def test_the_size_limit_holds_before_reading_and_mid_stream(upstream):
    client = client_for(upstream, max_file_bytes=1000)
    with pytest.raises(UpstreamTooLarge, match="above 1000"):
        client.get(client.url_for("blob.bin"))
    upstream.front.fault(path="/files/blob.bin", drop_length=True)
    response = client.get(client.url_for("blob.bin"))
    assert response.content_length is None
    with pytest.raises(UpstreamTooLarge, match="more than 1000 bytes"):
        response.read()
    assert response.received <= 1000 + 64 * 1024


def test_it_follows_a_few_redirects_and_refuses_more(upstream):
    target = upstream.url + "/files/blob.bin"
    upstream.front.fault(path="/files/old.bin", status=302, headers=(("Location", target),))
    client = client_for(upstream)
    assert client.get(client.url_for("old.bin")).read() == DATA
    upstream.front.fault(path="/files/loop", status=307, headers=(("Location", "/files/loop"),))
    with pytest.raises(UpstreamRefused, match="more than 5 redirects"):
        client.get(client.url_for("loop"))
    assert upstream.front.requests("/files/loop") == 6


def test_credentials_go_to_the_upstreams_own_origin_only(upstream, pypiserver, caplog):
    caplog.set_level(logging.DEBUG)
    elsewhere = pypiserver.url + "/health"  # same host name, another port: another origin
    upstream.front.fault(path="/files/moved", status=302, headers=(("Location", elsewhere),))
    client = client_for(upstream, auth={"username": "ci", "password": "s3cret"})
    client.get(client.url_for("blob.bin")).read()
    assert upstream.front.headers("/files/blob.bin")[-1]["Authorization"] == "Basic Y2k6czNjcmV0"
    client.get(client.url_for("moved")).read()
    assert upstream.front.headers("/files/moved")[-1]["Authorization"] == "Basic Y2k6czNjcmV0"
    assert "Authorization" not in pypiserver.front.headers("/health")[-1]
    assert "s3cret" not in caplog.text and "Y2k6czNjcmV0" not in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:{port}/files/blob.bin",  # loopback, but not the upstream's host
        "http://169.254.169.254/latest/meta-data/",  # a cloud metadata service
        "http://[::ffff:127.0.0.1]:{port}/files/blob.bin",  # loopback in IPv6 clothing
        "http://10.1.2.3/internal",
    ],
)
def test_it_never_connects_to_private_addresses_but_the_upstreams_own(upstream, url):
    client = client_for(upstream)
    with pytest.raises(UpstreamRefused, match="private, loopback or link-local"):
        client.get(url.format(port=upstream.front.port))
    assert upstream.front.requests() == 0


def test_a_redirect_cannot_lead_to_a_private_address(upstream):
    inner = f"http://localhost:{upstream.front.port}/files/blob.bin"
    upstream.front.fault(path="/files/evil", status=302, headers=(("Location", inner),))
    client = client_for(upstream)
    with pytest.raises(UpstreamRefused):
        client.get(client.url_for("evil"))
    assert upstream.front.requests("/files/blob.bin") == 0


def test_only_http_and_https_are_fetched(upstream):
    client = client_for(upstream)
    for url in ("file:///etc/passwd", "ftp://upstream.example/x", "gopher://x/"):
        with pytest.raises(UpstreamRefused, match="only http and https"):
            client.get(url)


def test_it_connects_to_the_address_it_checked_without_resolving_the_name_again(
    upstream, monkeypatch
):
    """DNS rebinding: the name is resolved once, by the guard; the connection goes to that
    address, with the name only in the Host header."""
    lookups = []
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        lookups.append(host)
        return real("127.0.0.1" if host == "registry.test" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    port = upstream.front.port
    client = UpstreamClient(settings_for(f"http://registry.test:{port}/files/"), label="x")
    assert client.get(client.url_for("blob.bin")).read() == DATA
    assert lookups.count("registry.test") == 1
    assert set(lookups) - {"registry.test"} <= {"127.0.0.1"}
    assert upstream.front.headers("/files/blob.bin")[-1]["Host"] == f"registry.test:{port}"


def test_logged_urls_carry_no_credentials():
    assert loggable("https://ci:s3cret@upstream.example:8443/simple/?x=1") == (
        "https://upstream.example:8443/simple/?…"
    )
