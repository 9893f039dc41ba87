"""The command lines of Larder's three processes, built from the environment.

- web: gunicorn with threaded workers (gthread), so a long upload or download never
  trips the worker timeout, each taking its share of the connections (webworker.py);
  LARDER_BIND, LARDER_WORKERS, LARDER_THREADS; any other gunicorn option through
  gunicorn's own GUNICORN_CMD_ARGS.
- worker: a Celery worker (LARDER_WORKER_CONCURRENCY).
- beat: Celery beat with django-celery-beat's DatabaseScheduler: exactly one per deployment.
"""

import os
import shutil
import sys
from pathlib import Path

from django.conf import settings

from repository.env import env_int, env_str
from repository.management.supervisor import ProcessSpec

DEFAULT_BIND = "127.0.0.1:8000"
# gthread, sharing kept-alive connections out by load across the workers (webworker.py).
WEB_WORKER_CLASS = "repository.management.webworker.BalancedThreadWorker"
GUNICORN_LOGGER = "repository.observability.redaction.RedactingGunicornLogger"
# Two workers per core, as gunicorn advises, but a small box never gets dozens of them.
MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    return max(2, min(2 * (os.cpu_count() or 1), MAX_DEFAULT_WORKERS))


def bind_address() -> str:
    return env_str("LARDER_BIND") or DEFAULT_BIND


def _log_level() -> str:
    return env_str("LARDER_LOG_LEVEL", "INFO").lower()


def _metrics_env() -> dict[str, str]:
    """Every gunicorn worker writes its metrics where /-/metrics adds them up.

    The folder is emptied at start (prometheus_client's rule for multiprocess mode); an
    operator's own PROMETHEUS_MULTIPROC_DIR is left alone.
    """
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return {}
    folder = Path(settings.DATA_DIR) / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return {"PROMETHEUS_MULTIPROC_DIR": str(folder)}


def web_process() -> ProcessSpec:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "repository.wsgi:application",
        "--bind",
        bind_address(),
        "--workers",
        str(env_int("LARDER_WORKERS", default_workers())),
        "--worker-class",
        WEB_WORKER_CLASS,
        "--threads",
        str(env_int("LARDER_THREADS", 4)),
        "--access-logfile",
        "-",
        "--logger-class",
        GUNICORN_LOGGER,  # masks tokens and URL passwords in every line
        "--no-control-socket",  # one fixed path per user would clash between instances
        "--log-level",
        _log_level(),
    ]
    return ProcessSpec("web", argv, _metrics_env())


def _celery(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "repository", *args, "--loglevel", _log_level()]


def worker_process() -> ProcessSpec:
    concurrency = env_int("LARDER_WORKER_CONCURRENCY", min(os.cpu_count() or 1, 4))
    argv = _celery(
        "worker",
        "--concurrency",
        str(concurrency),
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    )
    return ProcessSpec("worker", argv)


def beat_process() -> ProcessSpec:
    return ProcessSpec("beat", _celery("beat", "--scheduler", settings.CELERY_BEAT_SCHEDULER))
