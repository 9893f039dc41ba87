"""How the bench times publishes: the two cases in turns, each after a pause."""

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


def test_first_and_onto_large_publishes_take_turns(ctx):
    """A machine that slows down during the phase must not land on one case only."""
    order = []

    def publish(item: str) -> float:
        order.append(item)
        return 1.0 if item.startswith("new") else 2.0

    phases._time_publishes(
        ctx, "larder", "npm publish", publish, ["new1", "new2"], ["big1", "big2"]
    )

    assert order == ["new1", "big1", "new2", "big2"]
    timings = {t.case: t.seconds for t in ctx.results.timings}
    assert timings == {"first": [1.0, 1.0], "onto large": [2.0, 2.0]}


def test_each_publish_starts_after_the_settling_pause(ctx, monkeypatch):
    """Background work of one publish (Larder re-renders the packument) is not timed as
    part of the next one."""
    monkeypatch.setattr(phases, "PUBLISH_SETTLE_SECONDS", 0.5)
    slept = []
    monkeypatch.setattr(phases.time, "sleep", slept.append)

    phases._time_publishes(ctx, "larder", "twine upload", lambda item: 1.0, ["a"], ["b"])

    assert slept == [0.5, 0.5]


def test_a_failing_publish_is_reported_not_timed(ctx):
    def publish(item: str) -> float:
        if item == "big2":
            raise LoadError("413 Request Entity Too Large")
        return 1.0

    phases._time_publishes(ctx, "verdaccio", "npm publish", publish, ["n1", "n2"], ["big1", "big2"])

    assert ctx.results.timings == []
    assert ctx.results.failures == [
        "verdaccio: npm publish (onto large) failed: 413 Request Entity Too Large"
    ]
