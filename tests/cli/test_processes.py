"""The processes `larder serve` runs, configured from the environment."""

import os

import pytest
from django.core.management.base import CommandError

from repository.management.serve import (
    MAX_DEFAULT_WORKERS,
    beat_process,
    default_workers,
    web_processes,
    worker_process,
)
from tests.e2e.conftest import free_port


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_it_binds_gunicorn_to_localhost_8000_by_default(monkeypatch):
    monkeypatch.delenv("LARDER_BIND", raising=False)
    # Whether 8000 is free on this machine is not the point here.
    monkeypatch.setattr("repository.management.serve.refuse_a_taken_address", lambda bind: None)
    assert option(web_processes()[0].argv, "--bind") == "127.0.0.1:8000"


def test_it_honours_larder_bind_workers_and_threads(monkeypatch):
    port = free_port()
    monkeypatch.setenv("LARDER_BIND", f"0.0.0.0:{port}")
    monkeypatch.setenv("LARDER_WORKERS", "3")
    monkeypatch.setenv("LARDER_THREADS", "8")
    processes = web_processes()
    assert len(processes) == 3  # one gunicorn each, sharing the port
    argv = processes[0].argv
    assert option(argv, "--bind") == f"0.0.0.0:{port}"
    assert "--reuse-port" in argv
    assert option(argv, "--workers") == "1"
    assert option(argv, "--threads") == "8"
    # Threaded workers: a long upload or download never trips the worker timeout.
    assert option(argv, "--worker-class") == "gthread"


def test_it_refuses_a_port_another_server_already_holds(monkeypatch):
    """SO_REUSEPORT would otherwise let a second Larder share the first one's port."""
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        monkeypatch.setenv("LARDER_BIND", f"127.0.0.1:{taken.getsockname()[1]}")
        with pytest.raises(CommandError, match="already in use"):
            web_processes()


def test_it_sizes_workers_by_cores_within_bounds(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert default_workers() == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert default_workers() == MAX_DEFAULT_WORKERS


def test_it_collects_metrics_of_every_web_worker_in_a_fresh_folder(monkeypatch, settings, tmp_path):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    monkeypatch.setenv("LARDER_BIND", f"127.0.0.1:{free_port()}")
    settings.DATA_DIR = tmp_path
    stale = tmp_path / "metrics" / "counter_1.db"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    env = web_processes()[0].env
    assert env["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path / "metrics")
    assert not stale.exists()


def test_it_runs_beat_with_the_database_scheduler():
    argv = beat_process().argv
    assert "beat" in argv
    assert option(argv, "--scheduler") == "django_celery_beat.schedulers:DatabaseScheduler"


def test_it_runs_a_worker_with_the_configured_concurrency(monkeypatch):
    monkeypatch.setenv("LARDER_WORKER_CONCURRENCY", "5")
    argv = worker_process().argv
    assert "worker" in argv
    assert option(argv, "--concurrency") == "5"


def test_it_refuses_a_malformed_setting_with_a_message(capsys, monkeypatch):
    from repository.cli import main

    monkeypatch.setenv("LARDER_WORKERS", "many")
    assert main(["serve", "--web-only"]) == 1
    assert "LARDER_WORKERS='many' is not an integer" in capsys.readouterr().err
