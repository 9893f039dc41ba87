"""The table through which Larder's web workers share out connections."""

import pytest

from repository.management import webworker
from repository.management.webworker import NO_SLOT, Board


@pytest.fixture
def clock(monkeypatch):
    """time.monotonic() as the board sees it, moved by hand."""

    class Clock:
        now = 1000.0

    monkeypatch.setattr(webworker.time, "monotonic", lambda: Clock.now)
    return Clock


def test_each_live_worker_gets_a_slot_of_its_own(clock):
    board = Board(slots=3)
    assert [board.claim() for _ in range(3)] == [0, 1, 2]
    assert board.claim() == NO_SLOT


def test_the_slot_of_a_worker_that_left_or_went_silent_is_reused(clock):
    board = Board(slots=2)
    leaving, silent = board.claim(), board.claim()
    board.release(leaving)
    assert board.claim() == leaving
    clock.now += webworker.STALE_SECONDS
    board.publish(leaving, 3)
    assert board.claim() == silent


def test_the_least_loaded_live_worker_sets_the_share(clock):
    board = Board(slots=4)
    for connections in (9, 4, 7):
        board.publish(board.claim(), connections)
    assert board.fewest() == 4


def test_workers_that_left_or_went_silent_hold_no_one_back(clock):
    board = Board(slots=4)
    busy, leaving, silent = board.claim(), board.claim(), board.claim()
    board.publish(busy, 9)
    board.publish(leaving, 0)
    board.release(leaving)
    board.publish(silent, 1)
    clock.now += webworker.STALE_SECONDS / 2
    board.publish(busy, 9)
    assert board.fewest() == 1
    clock.now += webworker.STALE_SECONDS / 2
    assert board.fewest() == 9


def test_with_no_live_worker_nothing_is_held_back(clock):
    assert Board(slots=2).fewest() == 0
