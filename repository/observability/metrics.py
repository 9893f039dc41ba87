"""Prometheus metrics. With PROMETHEUS_MULTIPROC_DIR set, every gunicorn worker contributes."""

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

from repository.retention.metrics import StorageCollector

REQUEST_SECONDS = Histogram(
    "larder_request_seconds", "HTTP request latency", ["route", "method", "status"]
)
UPLOADS = Counter("larder_uploads_total", "Uploads by format and outcome", ["format", "outcome"])
DOWNLOADS = Counter("larder_downloads_total", "File downloads by format", ["format"])
REFUSALS = Counter(
    "larder_refusals_total", "Refused requests by format and reason", ["format", "reason"]
)


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = DEFAULT_REGISTRY
    storage = CollectorRegistry()
    storage.register(StorageCollector())
    return generate_latest(registry) + generate_latest(storage), CONTENT_TYPE_LATEST
