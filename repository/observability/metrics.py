"""Prometheus metrics. With PROMETHEUS_MULTIPROC_DIR set, every gunicorn worker contributes.

The proxy's metrics are defined in repository/proxy/metrics.py; its breaker states are
read from the shared state when scraped, and storage figures (repository/retention/
metrics.py) from the database, the same in either mode.
"""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client import REGISTRY as DEFAULT_REGISTRY

from repository.proxy.metrics import BreakerCollector
from repository.retention.metrics import StorageCollector

REQUEST_SECONDS = Histogram(
    "larder_request_seconds", "HTTP request latency", ["route", "method", "status"]
)
UPLOADS = Counter("larder_uploads_total", "Uploads by format and outcome", ["format", "outcome"])
DOWNLOADS = Counter("larder_downloads_total", "File downloads by format", ["format"])
REFUSALS = Counter(
    "larder_refusals_total", "Refused requests by format and reason", ["format", "reason"]
)

_SHARED_STATE = CollectorRegistry(auto_describe=False)
_SHARED_STATE.register(BreakerCollector())
_SHARED_STATE.register(StorageCollector())


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = DEFAULT_REGISTRY
    return generate_latest(registry) + generate_latest(_SHARED_STATE), CONTENT_TYPE_LATEST
