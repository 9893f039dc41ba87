"""The circuit breaker: opens after consecutive upstream failures or a 429, lets one trial
through after a while, and shows its state to the metrics."""

import time

import pytest
from django.test import Client

from repository.formats import get_format
from repository.proxy.breaker import BreakerState, CircuitBreaker, breaker_for
from repository.proxy.client import UpstreamClient, upstream_for
from repository.proxy.errors import (
    UpstreamError,
    UpstreamNotFound,
    UpstreamOffline,
    UpstreamRefused,
    UpstreamResting,
    UpstreamThrottled,
)
from repository.services.repositories import clean_settings
from tests.proxy.helpers import settings_for


@pytest.fixture
def upstream(static_files):
    static_files.seed("breaker/ok.txt", b"fine\n")
    return static_files


def client_with_breaker(upstream, name: str, **options) -> UpstreamClient:
    breaker = CircuitBreaker(name, threshold=3, open_seconds=1, trial_seconds=5)
    breaker.succeeded()
    return UpstreamClient(
        settings_for(upstream.url + "/breaker/", **options), label=name, breaker=breaker
    )


def fail(client: UpstreamClient, times: int) -> None:
    """Ask `times` times, each failing (the front answers an error)."""
    for _ in range(times):
        with pytest.raises(UpstreamError):
            client.get(client.url_for("ok.txt"))


def test_it_opens_after_consecutive_failures_and_answers_at_once(shared_backend, upstream):
    client = client_with_breaker(upstream, f"b-open-{shared_backend}")
    upstream.front.fault(path="/breaker/*", status=500)
    fail(client, 3)
    assert client.breaker.status().state is BreakerState.OPEN
    with pytest.raises(UpstreamResting) as resting:
        client.get(client.url_for("ok.txt"))
    assert resting.value.client_status == 503
    assert 0 < resting.value.retry_after <= 1
    assert upstream.front.requests("/breaker/ok.txt") == 3  # the fourth never left


def test_after_the_pause_one_trial_goes_through_and_its_success_closes_it(shared_backend, upstream):
    client = client_with_breaker(upstream, f"b-trial-{shared_backend}")
    upstream.front.fault(path="/breaker/*", status=502, times=3)
    fail(client, 3)
    time.sleep(1.1)
    assert client.breaker.status().state is BreakerState.HALF_OPEN
    assert client.breaker.allow() is True  # the trial, taken by someone else
    assert client.breaker.allow() is False  # everyone else waits for its outcome
    client.breaker.succeeded()
    assert client.get(client.url_for("ok.txt")).read() == b"fine\n"
    assert client.breaker.status().state is BreakerState.CLOSED
    assert client.breaker.status().failures == 0


def test_a_failed_trial_opens_it_again(shared_backend, upstream):
    client = client_with_breaker(upstream, f"b-reopen-{shared_backend}")
    upstream.front.fault(path="/breaker/*", status=500)
    fail(client, 3)
    time.sleep(1.1)
    with pytest.raises(UpstreamError):
        client.get(client.url_for("ok.txt"))  # the trial
    assert client.breaker.status().state is BreakerState.OPEN


def test_a_429_opens_it_at_once_for_its_retry_after(shared_backend, upstream):
    client = client_with_breaker(upstream, f"b-429-{shared_backend}")
    upstream.front.fault(path="/breaker/*", status=429, headers=(("Retry-After", "30"),))
    with pytest.raises(UpstreamThrottled):
        client.get(client.url_for("ok.txt"))
    status = client.breaker.status()
    assert status.state is BreakerState.OPEN
    assert 28 < status.retry_after <= 30


def test_404s_and_our_own_refusals_say_nothing_about_the_upstreams_health(upstream):
    client = client_with_breaker(upstream, "b-healthy")
    for _ in range(5):
        with pytest.raises(UpstreamNotFound):
            client.get(client.url_for("missing.txt"))
        with pytest.raises(UpstreamRefused):
            client.get("http://169.254.169.254/")
    assert client.breaker.status().state is BreakerState.CLOSED
    assert client.breaker.status().failures == 0


def test_a_success_resets_the_count(upstream):
    client = client_with_breaker(upstream, "b-reset")
    upstream.front.fault(path="/breaker/*", status=500, times=2)
    fail(client, 2)
    client.get(client.url_for("ok.txt")).read()
    upstream.front.fault(path="/breaker/*", status=500, times=2)
    fail(client, 2)
    assert client.breaker.status().state is BreakerState.CLOSED


def test_without_redis_the_upstream_is_asked_as_if_there_were_no_breaker(upstream, redis_down):
    client = client_with_breaker(upstream, "b-no-redis")
    assert client.get(client.url_for("ok.txt")).read() == b"fine\n"


def test_offline_mode_never_asks_the_upstream(upstream):
    client = client_with_breaker(upstream, "b-offline", offline=True)
    with pytest.raises(UpstreamOffline) as caught:
        client.get(client.url_for("ok.txt"))
    assert caught.value.client_status == 404
    assert upstream.front.requests() == 0


def test_a_proxy_repositorys_breaker_state_is_in_the_metrics(make_repository, upstream):
    settings = clean_settings(
        get_format("generic"),
        "proxy",
        {"proxy": {"upstream": upstream.url + "/breaker/", "breaker_threshold": 2}},
    )
    repository = make_repository("files-proxy", "generic", kind="proxy", settings=settings)
    client = upstream_for(repository)
    assert client.breaker.name == breaker_for(repository).name
    upstream.front.fault(path="/breaker/*", status=500)
    fail(client, 2)
    body = Client().get("/-/metrics").content.decode()
    assert 'larder_proxy_breaker_state{repository="files-proxy",state="open"} 1.0' in body
    assert 'larder_proxy_breaker_state{repository="files-proxy",state="closed"} 0.0' in body
    assert 'larder_proxy_breaker_failures{repository="files-proxy"} 2.0' in body
    assert 'larder_proxy_upstream_errors_total{reason="error",repository="files-proxy"}' in body
