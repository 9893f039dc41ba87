"""A live Larder (gunicorn + Celery worker) per test session, for driving real clients.

The server shares the test database, so e2e tests use `transactional_db` (the `live`
fixture requests it): rows a test creates are committed and the server sees them.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from filelock import FileLock, Timeout

from repository.management.serve import web_argv
from tests.services import redis_url

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent

# Threads of each of the live server's web processes.
LIVE_THREADS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_tool(name: str) -> str:
    """A client the e2e tests drive; missing means the environment is broken, never a skip."""
    found = shutil.which(
        name,
        path=f"{VENV_BIN}{os.pathsep}{ROOT / 'tools/node_modules/.bin'}"
        f"{os.pathsep}{os.environ.get('PATH', '')}",
    )
    if not found:
        pytest.fail(f"{name} is not installed: run .ci/run or `make test-deps`", pytrace=False)
    return found


def database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{db['NAME']}"


def wait_for(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up in {timeout}s")


class LiveServer:
    def __init__(self, url: str, data_dir: Path, env: dict, pids: list[int]) -> None:
        self.url = url
        self.data_dir = data_dir
        self.env = env
        # The web processes' gunicorn masters: each one's child is a worker serving requests.
        self.pids = pids

    def repo_url(self, name: str) -> str:
        return f"{self.url}/repository/{name}/"

    def wait_until_idle(self, timeout: float = 60) -> None:
        """Until the Celery worker has no task queued or running (acks_late keeps a running
        task in kombu's `unacked` hash; embedded, a queued task is a file) and no web
        process holds a proxy's single flight (a first answer's rows are written after it
        is sent), so the test database can be emptied under them."""
        deadline = time.monotonic() + timeout
        while self._in_flight() or self._busy():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server was still busy after {timeout}s")
            time.sleep(0.1)

    def _busy(self) -> bool:
        if not self.env["REDIS_URL"]:  # embedded: the filesystem broker's queue folder
            queue = self.data_dir / "broker" / "queue"
            return queue.is_dir() and any(queue.iterdir())
        client = redis.Redis.from_url(self.env["REDIS_URL"])
        return bool(client.llen("celery") or client.hlen("unacked"))

    def _in_flight(self) -> bool:
        if self.env["REDIS_URL"]:
            client = redis.Redis.from_url(self.env["REDIS_URL"])
            return (
                next(client.scan_iter("larder:proxy:lock:flight:*", count=1000), None) is not None
            )
        for path in (self.data_dir / "proxy" / "flights").glob("*.lock"):
            lock = FileLock(path, preserve_lock_file=True)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                return True
            lock.release()
        return False

    def flush_download_counts(self) -> None:
        """What the beat task does each minute: the server's buffered counts into the DB."""
        code = "from repository.counters import flush_download_counts; flush_download_counts()"
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )


def _redis_url(offset: int = 0) -> str:
    """One Redis database per xdist worker, so parallel sessions never share queues."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = 1 + offset + int(worker.removeprefix("gw") or 0)
    return redis_url(index)


@contextmanager
def running_server(
    data_dir: Path, extra_env: dict | None = None, redis_offset: int = 0
) -> Iterator[LiveServer]:
    """gunicorn + a Celery worker on a free port, sharing the test database, until exit."""
    port = free_port()
    redis_url = _redis_url(redis_offset)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "LARDER_DOWNLOAD_COUNT_SECONDS": "0",
        "LARDER_DATA_DIR": str(data_dir),
        "LARDER_BLOB_DIR": str(settings.LARDER_BLOB_DIR),
        "LARDER_BIND": f"127.0.0.1:{port}",
        "LARDER_WORKERS": "2",
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    subprocess.run(["redis-cli", "-u", redis_url, "FLUSHDB"], check=False, capture_output=True)
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - kept open while it runs
    # Two web processes sharing the port, as `larder serve` runs them.
    web_servers = [
        subprocess.Popen(
            web_argv(
                f"127.0.0.1:{port}", LIVE_THREADS, "--timeout", "120", "--access-logfile", "-"
            ),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    worker = subprocess.Popen(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "repository",
            "worker",
            "-c",
            "1",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for server in web_servers:
            wait_for(url + "/-/health", server)
        yield LiveServer(url, data_dir, env, pids=[server.pid for server in web_servers])
    finally:
        for process in (*web_servers, worker):
            process.terminate()
        for process in (*web_servers, worker):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


@pytest.fixture(scope="session")
def live_server_process(django_db_setup, django_db_blocker, tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("larder-data")) as server:
        yield server


@pytest.fixture
def start_live_server(transactional_db, tmp_path_factory, settings):
    """A factory for a server with extra environment (an S3 blob store...), for one test.

    `start_live_server({"LARDER_S3_BUCKET": ...})` returns a LiveServer; it has its own
    Redis database (no shared queue with `live`) and stops when the test ends.
    """
    with ExitStack() as servers:

        def start(extra_env: dict) -> LiveServer:
            data_dir = tmp_path_factory.mktemp("larder-data")
            server = servers.enter_context(running_server(data_dir, extra_env, redis_offset=8))
            servers.callback(server.wait_until_idle)
            shares_stamps_with(server, settings)
            connection.close()
            return server

        yield start


def shares_stamps_with(server: LiveServer, settings) -> None:
    """Rows this test writes replace stamps in the server's Redis, as a write there would:
    its processes keep rows until their repository's stamp changes (repository/cache/)."""
    settings.REDIS_URL = server.env["REDIS_URL"]


@pytest.fixture
def live(live_server_process, transactional_db, settings):
    """The live server, with this test's rows committed where it can see them."""
    shares_stamps_with(live_server_process, settings)
    connection.close()
    yield live_server_process
    live_server_process.wait_until_idle()
