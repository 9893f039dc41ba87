"""How the bench times publishes: the cases in turns, settled ones after a pause."""

import pytest

from bench import phases
from bench.config import QUICK
from bench.load import LoadError
from bench.model import Results


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    monkeypatch.setattr(phases, "PUBLISH_SETTLE_SECONDS", 0.0)
    results = Results(started="2026-01-01 00:00 UTC", host="h", scale="quick", duration=1)
    return phases.Context(QUICK, None, results, tmp_path, 1.0)


def seconds_by_case(ctx) -> dict[str, list[float]]:
    return {t.case: t.seconds for t in ctx.results.timings}


def test_the_cases_take_turns(ctx):
    """A machine that slows down during the phase must not land on one case only."""
    order = []

    def publish(item: str) -> float:
        order.append(item)
        return {"n": 1.0, "b": 2.0, "a": 3.0}[item[0]]

    phases._time_publishes(
        ctx, "larder", "npm publish", publish, ["n1", "n2"], ["b1", "b2"], ["a1", "a2"]
    )

    assert order == ["n1", "b1", "a1", "n2", "b2", "a2"]
    assert seconds_by_case(ctx) == {
        "first": [1.0, 1.0],
        "onto large": [2.0, 2.0],
        "onto large, right after another": [3.0, 3.0],
    }


def test_settled_publishes_wait_and_the_right_after_one_does_not(ctx, monkeypatch):
    """A publish's own latency is timed on a settled server; what one publish leaves
    running (Larder re-renders the packument) is still timed, in the `right after` case."""
    monkeypatch.setattr(phases, "PUBLISH_SETTLE_SECONDS", 0.5)
    events = []
    monkeypatch.setattr(phases.time, "sleep", lambda s: events.append(f"sleep {s}"))

    def publish(item: str) -> float:
        events.append(item)
        return 1.0

    phases._time_publishes(ctx, "larder", "twine upload", publish, ["n"], ["b"], ["a"])

    assert events == ["sleep 0.5", "n", "sleep 0.5", "b", "a"]


def test_a_failing_case_is_reported_and_the_others_still_timed(ctx):
    def publish(item: str) -> float:
        if item == "b2":
            raise LoadError("413 Request Entity Too Large")
        return 1.0

    phases._time_publishes(
        ctx, "verdaccio", "npm publish", publish, ["n1", "n2"], ["b1", "b2"], ["a1", "a2"]
    )

    assert ctx.results.failures == [
        "verdaccio: npm publish (onto large) failed: 413 Request Entity Too Large"
    ]
    assert seconds_by_case(ctx) == {
        "first": [1.0, 1.0],
        "onto large, right after another": [1.0, 1.0],
    }
