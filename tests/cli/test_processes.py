"""The processes `larder serve` runs, configured from the environment."""

import os

from repository.management.serve import (
    MAX_DEFAULT_WORKERS,
    WEB_WORKER_CLASS,
    beat_process,
    default_workers,
    web_process,
    worker_process,
)


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_it_binds_gunicorn_to_localhost_8000_by_default(monkeypatch):
    monkeypatch.delenv("LARDER_BIND", raising=False)
    assert option(web_process().argv, "--bind") == "127.0.0.1:8000"


def test_it_honours_larder_bind_workers_and_threads(monkeypatch):
    monkeypatch.setenv("LARDER_BIND", "0.0.0.0:9000")
    monkeypatch.setenv("LARDER_WORKERS", "3")
    monkeypatch.setenv("LARDER_THREADS", "8")
    argv = web_process().argv
    assert option(argv, "--bind") == "0.0.0.0:9000"
    assert option(argv, "--workers") == "3"
    assert option(argv, "--threads") == "8"
    # Threaded workers: a long upload or download never trips the worker timeout.
    assert option(argv, "--worker-class") == WEB_WORKER_CLASS


def test_it_sizes_workers_by_cores_within_bounds(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert default_workers() == 2
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert default_workers() == MAX_DEFAULT_WORKERS


def test_it_collects_metrics_of_every_web_worker_in_a_fresh_folder(monkeypatch, settings, tmp_path):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    settings.DATA_DIR = tmp_path
    stale = tmp_path / "metrics" / "counter_1.db"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    env = web_process().env
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
