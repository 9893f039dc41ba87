"""The real `larder serve` script: web, worker and beat come up, work, and stop together."""

import json
import os
import signal
import subprocess
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from repository.celery import app
from repository.models import Blob
from tests.e2e.conftest import VENV_BIN, database_url, free_port, wait_for
from tests.services import redis_url

# Its own Redis database: nothing shared with the e2e servers of this test session.
REDIS_URL = redis_url(
    12 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
)


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def eventually(check, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{check.__doc__} did not happen within {timeout}s")
        time.sleep(0.3)


@pytest.fixture
def served(transactional_db, tmp_path):
    port = free_port()
    subprocess.run(["redis-cli", "-u", REDIS_URL, "FLUSHDB"], check=True, capture_output=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "LARDER_DATA_DIR": str(tmp_path / "data"),
        "LARDER_BIND": f"127.0.0.1:{port}",
        "LARDER_WORKERS": "1",
        "LARDER_THREADS": "2",
        "LARDER_WORKER_CONCURRENCY": "1",
    }
    connection.close()
    log = tmp_path / "serve.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [str(VENV_BIN / "larder"), "serve"], env=env, stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/-/ready", process, timeout=60)
        yield process, url, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_it_serves_runs_tasks_and_beat_then_stops_everything_on_sigterm(served):
    process, url, log = served
    orphan = Blob.objects.create(
        sha256="0" * 64, size=1, md5="0" * 32, sha1="0" * 40, sha512="0" * 128, blake2b_256="0" * 64
    )
    Blob.objects.filter(pk=orphan.pk).update(last_seen=timezone.now() - timedelta(days=3))

    with urllib.request.urlopen(url + "/-/ready") as response:
        assert json.load(response)["checks"] == {
            "database": "ok",
            "blob_store": "ok",
            "broker": "ok",
        }

    def beat_installed_its_schedule():
        """beat writing its schedule into the database"""
        return PeriodicTask.objects.filter(name="blob-garbage-collection").exists()

    eventually(beat_installed_its_schedule)

    with app.connection_for_write(REDIS_URL) as broker:
        app.send_task("repository.tasks.collect_blob_garbage", connection=broker)

    def worker_collected_the_orphan():
        """the worker running a queued task"""
        return not Blob.objects.filter(pk=orphan.pk).exists()

    eventually(worker_collected_the_orphan)

    children = children_of(process.pid)
    assert len(children) == 3  # web, worker, beat
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    assert not [pid for pid in children if Path(f"/proc/{pid}").exists()]
    assert "serving on http://127.0.0.1:" in log.read_text()
