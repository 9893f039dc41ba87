"""Proxy metrics: answers by result, upstream latency, errors and bytes, breaker state.

The counters are ordinary prometheus-client metrics (summed across gunicorn workers by the
multiprocess collector). The breaker's state lives in Redis (or the data dir), not in any
process, so it is read at scrape time by BreakerCollector instead of being a gauge each
process would report differently.
"""

from enum import StrEnum

from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from repository.proxy.breaker import BreakerState, breaker_for

PROXY_REQUESTS = Counter(
    "larder_proxy_requests_total",
    "Proxy repository answers by result: hit, miss (fetched), stale (upstream failing), error",
    ["repository", "result"],
)
UPSTREAM_SECONDS = Histogram(
    "larder_proxy_upstream_seconds",
    "Seconds from sending a request to an upstream to its response headers",
    ["repository"],
)
UPSTREAM_ERRORS = Counter(
    "larder_proxy_upstream_errors_total",
    "Failed upstream requests by reason (error, timeout, throttled, digest_mismatch...)",
    ["repository", "reason"],
)
UPSTREAM_BYTES = Counter(
    "larder_proxy_upstream_bytes_total", "Body bytes received from upstreams", ["repository"]
)


class Result(StrEnum):
    HIT = "hit"
    MISS = "miss"
    STALE = "stale"
    ERROR = "error"


def count_answer(repository: str, result: Result) -> None:
    PROXY_REQUESTS.labels(repository, result.value).inc()


class BreakerCollector(Collector):
    """`larder_proxy_breaker_state{repository, state}` (1 for the current state) and the
    consecutive failures, for every proxy repository, read when scraped."""

    def collect(self):
        from repository.models import Repository  # models load after this module

        states = GaugeMetricFamily(
            "larder_proxy_breaker_state",
            "Upstream circuit breaker per proxy repository: 1 for its current state",
            labels=["repository", "state"],
        )
        failures = GaugeMetricFamily(
            "larder_proxy_breaker_failures",
            "Consecutive failed upstream requests per proxy repository",
            labels=["repository"],
        )
        for repository in Repository.objects.filter(kind=Repository.Kind.PROXY):
            status = breaker_for(repository).status()
            for state in BreakerState:
                states.add_metric([repository.name, state.value], float(status.state is state))
            failures.add_metric([repository.name], status.failures)
        yield states
        yield failures
