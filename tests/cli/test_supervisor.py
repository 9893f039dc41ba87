"""The supervisor behind `larder serve`: all processes stop together, whatever stops one."""

import os
import signal
import sys
import threading
import time

from repository.management.supervisor import ProcessSpec, Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def signal_soon(signum: int, delay: float = 0.5) -> None:
    threading.Timer(delay, os.kill, (os.getpid(), signum)).start()


def test_it_stops_every_process_when_it_receives_sigterm():
    supervisor = Supervisor([ProcessSpec("a", SLEEPER), ProcessSpec("b", SLEEPER)])
    signal_soon(signal.SIGTERM)
    started = time.monotonic()
    assert supervisor.run() == 0
    assert time.monotonic() - started < 10
    assert all(child.returncode is not None for child in supervisor.children.values())
    assert not any(alive(child.pid) for child in supervisor.children.values())


def test_it_stops_the_others_and_reports_the_code_when_one_process_dies():
    dying = ProcessSpec("dying", [sys.executable, "-c", "import sys; sys.exit(3)"])
    supervisor = Supervisor([ProcessSpec("a", SLEEPER), dying])
    assert supervisor.run() == 3
    assert supervisor.children["a"].returncode == -signal.SIGTERM


def test_it_reports_failure_even_when_a_process_exits_cleanly_too_early():
    early = ProcessSpec("early", [sys.executable, "-c", "pass"])
    assert Supervisor([ProcessSpec("a", SLEEPER), early]).run() == 1


def test_it_kills_a_process_that_ignores_the_stop_signal():
    stubborn = ProcessSpec(
        "stubborn",
        [
            sys.executable,
            "-c",
            "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)",
        ],
    )
    supervisor = Supervisor([stubborn], stop_timeout=1)
    signal_soon(signal.SIGTERM)
    assert supervisor.run() == 0
    assert supervisor.children["stubborn"].returncode == -signal.SIGKILL


def test_it_passes_its_environment_on_with_each_process_own_additions(tmp_path):
    out = tmp_path / "env"
    spec = ProcessSpec(
        "env",
        [sys.executable, "-c", f"import os; open({str(out)!r}, 'w').write(os.environ['ROLE_X'])"],
        env={"ROLE_X": "web"},
    )
    Supervisor([spec]).run()
    assert out.read_text() == "web"


def test_it_restores_the_signal_handlers_it_replaced():
    before = signal.getsignal(signal.SIGTERM)
    Supervisor([ProcessSpec("quick", [sys.executable, "-c", "pass"])]).run()
    assert signal.getsignal(signal.SIGTERM) == before


def test_it_takes_a_quickly_repeated_signal_as_the_same_request():
    """make passes our own SIGTERM on to us: that must not turn a clean stop into a kill."""
    supervisor = Supervisor([ProcessSpec("a", SLEEPER)])
    signal_soon(signal.SIGTERM, 0.5)
    signal_soon(signal.SIGTERM, 0.6)
    assert supervisor.run() == 0
    assert supervisor.children["a"].returncode == -signal.SIGTERM


def test_it_kills_at_once_when_asked_again_later(tmp_path):
    ready = tmp_path / "ignoring"
    ignores_int = (
        "import pathlib, signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
        f"pathlib.Path({str(ready)!r}).touch(); time.sleep(60)"
    )
    supervisor = Supervisor([ProcessSpec("a", [sys.executable, "-c", ignores_int])])

    def ask_twice() -> None:
        # Only once the child ignores SIGINT: a child still starting (a busy machine)
        # would die of the first, and the second would then hit the test process.
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1.5)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=ask_twice, daemon=True).start()
    started = time.monotonic()
    assert supervisor.run() == 0
    assert time.monotonic() - started < 10
    assert supervisor.children["a"].returncode == -signal.SIGKILL
