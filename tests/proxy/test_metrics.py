"""Proxy metrics on /-/metrics: answers by result, upstream latency, errors and bytes."""

import pytest
from django.test import Client

from repository.proxy.client import UpstreamClient
from repository.proxy.errors import UpstreamError
from repository.proxy.metrics import Result, count_answer
from tests.proxy.helpers import settings_for


def scrape() -> str:
    return Client().get("/-/metrics").content.decode()


def value(body: str, line_start: str) -> float:
    for line in body.splitlines():
        if line.startswith(line_start + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_answers_are_counted_by_repository_and_result(db):
    name = 'larder_proxy_requests_total{repository="metrics-proxy",result="%s"}'
    before = scrape()
    for result in (Result.HIT, Result.HIT, Result.MISS, Result.STALE, Result.ERROR):
        count_answer("metrics-proxy", result)
    after = scrape()
    assert {
        result.value: value(after, name % result.value) - value(before, name % result.value)
        for result in Result
    } == {"hit": 2, "miss": 1, "stale": 1, "error": 1}


def test_upstream_latency_errors_and_bytes_are_measured(db, static_files):
    static_files.seed("metrics/file.txt", b"x" * 1000)
    client = UpstreamClient(settings_for(static_files.url + "/metrics/"), label="metrics-up")
    before = scrape()
    client.get(client.url_for("file.txt")).read()
    static_files.front.fault(path="/metrics/*", status=500, times=1)
    with pytest.raises(UpstreamError):
        client.get(client.url_for("file.txt"))
    after = scrape()

    def delta(line: str) -> float:
        return value(after, line) - value(before, line)

    assert delta('larder_proxy_upstream_seconds_count{repository="metrics-up"}') == 2
    assert delta('larder_proxy_upstream_bytes_total{repository="metrics-up"}') == 1000
    assert delta('larder_proxy_upstream_errors_total{reason="error",repository="metrics-up"}') == 1
