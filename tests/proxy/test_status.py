"""A proxy's upstream status: its last success and last failure (without credentials or
query values), its breaker, and the bytes of its files cached here."""

from datetime import UTC, datetime, timedelta

from django.test import Client

from repository.proxy.breaker import BreakerState
from repository.proxy.status import upstream_status
from repository.services.repositories import create_repository
from tests.ui.conftest import blob_for


def proxy_of(upstream, **options):
    return create_repository(
        "py-proxy",
        "pypi",
        kind="proxy",
        settings={"proxy": {"upstream": upstream.index_url, **options}},
    )


def test_a_new_proxy_has_no_status_yet(db, pypiserver):
    status = upstream_status(proxy_of(pypiserver))
    assert status.last_success is None and status.last_error is None
    assert status.breaker.state is BreakerState.CLOSED
    assert status.cached_bytes == 0


def test_it_records_the_last_success_then_the_last_error(shared_backend, db, pypiserver):
    repository = proxy_of(pypiserver, breaker_threshold=2)
    assert Client().get("/repository/py-proxy/simple/six/").status_code == 200
    succeeded = upstream_status(repository).last_success
    assert abs(succeeded - datetime.now(UTC)) < timedelta(seconds=10)

    pypiserver.front.fault(status=500)
    for name in ("idna", "attrs"):
        assert Client().get(f"/repository/py-proxy/simple/{name}/").status_code == 502
    status = upstream_status(repository)
    assert status.last_success == succeeded
    assert status.last_error.at >= succeeded
    assert status.last_error.message == f"{pypiserver.index_url}attrs/: the upstream answered 500"
    assert status.breaker.state is BreakerState.OPEN


def test_the_error_keeps_no_credentials(db, pypiserver):
    repository = proxy_of(pypiserver, auth={"username": "ci", "password": "hunter2-secret"})
    pypiserver.front.fault(status=503)
    assert Client().get("/repository/py-proxy/simple/six/").status_code == 502
    message = upstream_status(repository).last_error.message
    assert "answered 503" in message
    assert "hunter2" not in message and "ci:" not in message


def test_the_cached_size_counts_the_files_fetched_only(db, pypiserver):
    repository = proxy_of(pypiserver)
    assert Client().get("/repository/py-proxy/simple/six/").status_code == 200
    wheel, *rest = repository.assets.order_by("filename")
    assert rest and upstream_status(repository).cached_bytes == 0
    wheel.blob = blob_for(b"x" * 1234)
    wheel.save()
    assert upstream_status(repository).cached_bytes == 1234
