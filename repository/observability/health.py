"""Liveness (/-/health), readiness (/-/ready) and Prometheus metrics (/-/metrics)."""

from django.db import connection
from django.http import HttpResponse, JsonResponse

from repository.observability import metrics
from repository.storage import blob_store


def liveness(request):
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_broker() -> None:
    from repository.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def readiness(request):
    checks = {
        "database": _check_database,
        "blob_store": blob_store().check,
        "broker": _check_broker,
    }
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:
            results[name] = f"error: {exc.__class__.__name__}: {exc}"[:300]
    ready = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": results},
        status=200 if ready else 503,
    )


def metrics_view(request):
    body, content_type = metrics.render()
    return HttpResponse(body, content_type=content_type)
