"""Single flight: concurrent callers in several processes cause one upstream fetch."""

import hashlib
import os
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings as django_settings

from repository.proxy.flight import StillInFlight, await_turn, single_flight
from tests.e2e.conftest import ROOT

DATA = os.urandom(300_000)


@pytest.fixture
def upstream(static_files):
    static_files.seed("flight/file.bin", DATA)
    return static_files


def test_twenty_callers_in_four_processes_cause_one_fetch(shared_backend, upstream, tmp_path):
    upstream.front.fault(path="/flight/file.bin", delay=1.0)
    url = upstream.url + "/flight/file.bin"
    env = {
        **os.environ,
        "REDIS_URL": django_settings.REDIS_URL,
        "LARDER_DATA_DIR": str(django_settings.DATA_DIR),
    }
    go = tmp_path / "go"
    command = [sys.executable, "-m", "tests.proxy.flight_caller", url, str(tmp_path / "cached")]
    callers = [
        subprocess.Popen(
            [*command, "5", str(go)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    for caller in callers:
        assert caller.stdout.readline() == "ready\n"
    go.touch()  # twenty callers at once, while the first fetch takes a second
    outputs = [caller.communicate(timeout=60)[0].split() for caller in callers]
    assert all(caller.returncode == 0 for caller in callers)
    assert sum(len(lines) for lines in outputs) == 20
    assert {line for lines in outputs for line in lines} == {hashlib.sha256(DATA).hexdigest()}
    assert upstream.front.requests("/flight/file.bin") == 1


def test_threads_of_one_process_share_one_fetch_too(shared_backend):
    fetches = []
    box: dict[str, bytes] = {}

    def fetch() -> bytes:
        fetches.append(1)
        time.sleep(0.3)
        box["value"] = b"fetched"
        return box["value"]

    results = []

    def call() -> None:
        results.append(single_flight("t-threads", lambda: box.get("value"), fetch))

    workers = [threading.Thread(target=call) for _ in range(10)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert results == [b"fetched"] * 10
    assert len(fetches) == 1


def test_waiting_is_bounded_and_never_fetches(shared_backend):
    holder = await_turn("t-bounded", lambda: None)
    assert holder.leader is not None
    try:
        started = time.monotonic()
        with pytest.raises(StillInFlight) as caught:
            single_flight("t-bounded", lambda: None, pytest.fail, wait_seconds=0.3)
        assert 0.3 <= time.monotonic() - started < 2
        assert caught.value.client_status == 504
    finally:
        holder.leader.release()


def test_a_failed_leader_lets_the_next_caller_fetch(shared_backend):
    def broken() -> bytes:
        raise RuntimeError("upstream broke")

    with pytest.raises(RuntimeError):
        single_flight("t-failed", lambda: None, broken)
    assert single_flight("t-failed", lambda: None, lambda: b"second try") == b"second try"


def test_a_waiter_takes_over_when_the_leader_gives_up(shared_backend):
    box: dict[str, bytes] = {}
    holder = await_turn("t-takeover", lambda: box.get("v"))
    threading.Timer(0.2, holder.leader.release).start()  # leaves without a result

    def fetch() -> bytes:
        box["v"] = b"mine"
        return box["v"]

    assert single_flight("t-takeover", lambda: box.get("v"), fetch, wait_seconds=5) == b"mine"


def test_without_redis_it_fetches_uncoordinated_rather_than_fail(redis_down, caplog):
    assert single_flight("t-down", lambda: None, lambda: b"fetched anyway") == b"fetched anyway"
    assert "shared state unavailable" in caplog.text


def test_the_leader_keeps_the_lock_while_it_streams(shared_backend):
    turn = await_turn("t-extend", lambda: None, lock_seconds=0.3)
    try:
        for _ in range(4):
            time.sleep(0.1)
            turn.leader.extend()
        with pytest.raises(StillInFlight):
            await_turn("t-extend", lambda: None, wait_seconds=0.2)
    finally:
        turn.leader.release()
    with await_turn("t-extend", lambda: None).leader as again:
        assert again is not None
