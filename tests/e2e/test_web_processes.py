"""Larder's web processes share one port (SO_REUSEPORT), each with a socket of its own, so
the kernel spreads keep-alive clients over them and a stopped one leaves its share to the
others, instead of whichever worker woke first taking every connection of a burst."""

import http.client
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from repository.management.serve import web_argv
from tests.e2e.conftest import ROOT, free_port

pytestmark = pytest.mark.e2e

CONNECTIONS = 48


def ask(port: int) -> tuple[http.client.HTTPConnection, int]:
    """A new kept-alive connection and the pid of the worker that answered on it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/")
    return connection, int(connection.getresponse().read())


@pytest.fixture
def two_processes(tmp_path) -> Iterator[tuple[int, list[subprocess.Popen]]]:
    port = free_port()
    argv = web_argv(f"127.0.0.1:{port}", 2, "--keep-alive", "60")
    argv[argv.index("repository.wsgi:application")] = "tests.e2e.workerpid_app:app"
    with ExitStack() as stack:
        log = stack.enter_context(open(tmp_path / "gunicorn.log", "wb"))
        processes = [
            subprocess.Popen(argv, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT) for _ in range(2)
        ]
        stack.callback(lambda: [p.terminate() or p.wait(timeout=30) for p in processes])
        answering: set[int] = set()
        deadline = time.monotonic() + 30
        while len(answering) < 2:
            assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
            try:
                connection, pid = ask(port)
                connection.close()
                answering.add(pid)
            except OSError:
                time.sleep(0.1)
        yield port, processes


def test_a_burst_of_keep_alive_clients_is_spread_over_every_web_process(two_processes):
    port, _ = two_processes
    connections, pids = zip(*(ask(port) for _ in range(CONNECTIONS)), strict=True)
    shares = Counter(pids)
    for connection in connections:
        connection.close()
    assert len(shares) == 2
    # Hashed by the kernel: each holds about half; 3/4 or more has odds below 1 in 10,000.
    assert max(shares.values()) < CONNECTIONS * 3 // 4, shares


def test_a_stopped_web_process_leaves_every_new_connection_to_the_others(two_processes):
    port, processes = two_processes
    stopped = processes[0]
    stopped.send_signal(signal.SIGTERM)
    stopped.wait(timeout=30)
    pids = {ask(port)[1] for _ in range(20)}
    assert len(pids) == 1
