"""The command lines of Larder's processes, built from the environment.

- web: LARDER_WORKERS gunicorn processes, each with one threaded worker (gthread, so a long
  upload or download never trips the worker timeout), all listening on LARDER_BIND with
  SO_REUSEPORT. Each has a listening socket of its own, and the kernel spreads new
  connections evenly over them. With one socket shared by several workers, whichever woke
  first took the next connection, and keep-alive clients (the connection pools of pip, uv
  and npm, a load balancer's) stayed where they landed: a burst once left one worker 31 of
  64 and another none (bench/results/2026-11-27-vm-profile.md). LARDER_THREADS; any other
  gunicorn option through gunicorn's own GUNICORN_CMD_ARGS.
- worker: a Celery worker (LARDER_WORKER_CONCURRENCY).
- beat: Celery beat with django-celery-beat's DatabaseScheduler: exactly one per deployment.
"""

import errno
import os
import shutil
import socket
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from repository.env import env_int, env_str
from repository.management.supervisor import ProcessSpec

DEFAULT_BIND = "127.0.0.1:8000"
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


def web_argv(bind: str, threads: int, *options: str) -> list[str]:
    """One web process: a gunicorn with one gthread worker on its own SO_REUSEPORT socket."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "repository.wsgi:application",
        "--bind",
        bind,
        "--reuse-port",
        "--workers",
        "1",
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--logger-class",
        GUNICORN_LOGGER,  # masks tokens and URL passwords in every line
        "--no-control-socket",  # one fixed path per user would clash between instances
        *options,
    ]


def refuse_a_taken_address(bind: str) -> None:
    """SO_REUSEPORT would let a second Larder share a port another one (of the same user)
    already serves: check first, as a plain bind would fail."""
    host, _, port = bind.rpartition(":")
    try:
        with socket.create_server((host.strip("[]"), int(port))):
            pass
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise CommandError(f"{bind} is already in use: is another Larder running?") from None
        raise


def web_processes() -> list[ProcessSpec]:
    bind = bind_address()
    count = env_int("LARDER_WORKERS", default_workers())
    threads = env_int("LARDER_THREADS", 4)
    refuse_a_taken_address(bind)
    argv = web_argv(
        bind,
        threads,
        "--access-logfile",
        "-",
        "--log-level",
        _log_level(),
    )
    env = _metrics_env()
    return [ProcessSpec(f"web-{number}", argv, env) for number in range(1, count + 1)]


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
