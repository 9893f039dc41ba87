"""Larder's gunicorn workers share keep-alive connections out instead of racing for them.

Two workers of two threads each, serving a tiny app that answers with its worker's pid.
A worker frozen with SIGSTOP leaves the other the only one able to accept.
"""

import contextlib
import http.client
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from repository.management.serve import WEB_WORKER_CLASS
from repository.management.webworker import STALE_SECONDS
from tests.e2e.conftest import ROOT, VENV_BIN, free_port
from tests.e2e.workerpid_app import SLOW_SECONDS

pytestmark = pytest.mark.e2e

THREADS = 2
# Kept-alive connections stay counted for the whole test (gunicorn's default is 2 s).
KEEP_ALIVE_SECONDS = 60


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def send(port: int, path: str = "/") -> http.client.HTTPConnection:
    """A new connection with a request on it, its answer not yet read."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    return connection


def answer(connection: http.client.HTTPConnection, timeout: float = 10) -> int:
    connection.sock.settimeout(timeout)
    return int(connection.getresponse().read())


def ask(port: int, timeout: float = 10) -> tuple[http.client.HTTPConnection, int]:
    """A new kept-alive connection and the pid of the worker that answered on it."""
    connection = send(port)
    return connection, answer(connection, timeout)


def live_workers(connection: http.client.HTTPConnection) -> int:
    """How many workers the table counts, asked on a kept-alive connection."""
    connection.request("GET", "/live")
    return answer(connection)


def unanswered(connection: http.client.HTTPConnection, seconds: float) -> bool:
    """Whether the request sent on `connection` is still unanswered after `seconds`."""
    connection.sock.settimeout(seconds)
    try:
        connection.getresponse()
    except TimeoutError:
        return True
    return False


def with_signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def both_serving(port: int, workers: list[int]) -> None:
    """Until each worker has answered once: both are in their accept loops."""
    seen: set[int] = set()
    deadline = time.monotonic() + 30
    while seen != set(workers):
        assert time.monotonic() < deadline, f"workers {workers} never all answered: {seen}"
        connection, pid = ask(port)
        connection.close()
        seen.add(pid)


@pytest.fixture
def two_workers(tmp_path) -> Iterator[tuple[int, list[int]]]:
    port = free_port()
    argv = [
        str(VENV_BIN / "gunicorn"),
        "tests.e2e.workerpid_app:app",
        "--bind", f"127.0.0.1:{port}",
        "--workers", "2",
        "--threads", str(THREADS),
        "--worker-class", WEB_WORKER_CLASS,
        "--keep-alive", str(KEEP_ALIVE_SECONDS),
        "--no-control-socket",
    ]  # fmt: skip
    with open(tmp_path / "gunicorn.log", "wb") as log:
        server = subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while len(workers) < 2:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn started no two workers"
            time.sleep(0.1)
            workers = children(server.pid)
        both_serving(port, workers)
        time.sleep(1.5)  # each publishes its settled count (0) at least once a second
        yield port, workers
    finally:
        for pid in workers:
            with_signal(pid, signal.SIGCONT)
        server.terminate()
        server.wait(timeout=30)


def test_a_worker_holding_more_than_its_share_leaves_new_connections_to_the_others(
    two_workers,
):
    port, (running, frozen) = two_workers
    os.kill(frozen, signal.SIGSTOP)
    # Within STALE_SECONDS of its last word the frozen worker still counts, holding 0.
    held = [ask(port) for _ in range(THREADS + 1)]
    assert {pid for _, pid in held} == {running}
    waiting = send(port)
    assert unanswered(waiting, 0.5), "the worker over its share took the connection"
    os.kill(frozen, signal.SIGCONT)
    assert answer(waiting) == frozen


def test_a_worker_with_every_thread_busy_leaves_new_connections_to_one_with_a_thread_free(
    two_workers,
):
    port, (busy, other) = two_workers
    os.kill(other, signal.SIGSTOP)
    slow = [send(port, "/slow") for _ in range(THREADS)]
    time.sleep(0.3)  # `busy` took them: both its threads are held for SLOW_SECONDS
    os.kill(other, signal.SIGCONT)
    # Under plain gthread each would go to either; here all go to the one with threads free.
    answered = [ask(port, timeout=SLOW_SECONDS / 2)[1] for _ in range(3)]
    assert answered == [other] * 3
    assert [answer(connection) for connection in slow] == [busy] * THREADS


def test_a_hung_worker_holds_the_others_back_for_seconds_at_most(two_workers):
    """Once the frozen worker's word is STALE_SECONDS old, the other takes connections
    beyond its share: the socket timeout here is that bound, with room to spare."""
    port, (running, frozen) = two_workers
    os.kill(frozen, signal.SIGSTOP)
    held = [ask(port) for _ in range(THREADS + 1)]
    late = send(port)
    assert unanswered(late, 0.5)
    assert [pid for _, pid in held] + [answer(late, STALE_SECONDS + 5)] == [running] * (THREADS + 2)


def test_a_worker_shutting_down_holds_no_one_back_while_it_finishes(two_workers):
    """A worker stopping (a reload, a restart) leaves the table at once, not when its
    last request ends or STALE_SECONDS later."""
    port, (running, stopping) = two_workers
    os.kill(running, signal.SIGSTOP)
    slow = send(port, "/slow")  # `stopping` takes it and holds 1, a thread still free
    time.sleep(0.3)
    os.kill(running, signal.SIGCONT)
    os.kill(stopping, signal.SIGSTOP)
    held = [ask(port) for _ in range(THREADS + 2)]  # up to 1 + THREADS, then one more
    os.kill(stopping, signal.SIGCONT)
    os.kill(stopping, signal.SIGTERM)
    deadline = time.monotonic() + SLOW_SECONDS / 2
    while live_workers(held[0][0]) != 1:
        assert time.monotonic() < deadline, "the stopping worker still counts"
        time.sleep(0.05)
    _, late = ask(port, timeout=1.0)
    assert [pid for _, pid in held] + [late] == [running] * (THREADS + 3)
    assert answer(slow) == stopping
