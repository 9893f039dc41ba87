"""The shared state behind single flight and the breaker, in Redis and in the data dir."""

import time

import pytest

from repository.proxy.shared import FileState, RedisState, StateUnavailable, shared_state


def test_it_is_redis_when_configured_and_files_when_embedded(shared_backend):
    expected = RedisState if shared_backend == "redis" else FileState
    assert isinstance(shared_state(), expected)


def test_values_expire_counters_count_and_add_sets_once(shared_backend):
    state = shared_state()
    state.delete("t:value", "t:count", "t:once")
    state.set("t:value", "v", ttl=0.2)
    assert state.get("t:value") == "v"
    assert [state.incr("t:count", 60) for _ in range(3)] == [1, 2, 3]
    assert state.add("t:once", "a", 60) is True
    assert state.add("t:once", "b", 60) is False
    assert state.get("t:once") == "a"
    time.sleep(0.3)
    assert state.get("t:value") is None
    state.delete("t:count")
    assert state.get("t:count") is None


def test_several_values_are_read_and_written_at_once(shared_backend):
    state = shared_state()
    state.set("t:gone", "old", 60)
    state.update({"t:a": ("1", 60), "t:b": ("2", 0.2)}, deletes=("t:gone",))
    assert state.get_many("t:a", "t:b", "t:gone", "t:never") == ["1", "2", None, None]
    time.sleep(0.3)
    assert state.get_many("t:a", "t:b") == ["1", None]


def test_a_lock_is_held_by_one_holder_at_a_time(shared_backend):
    state = shared_state()
    first, second = state.lock("t:lock", 30), state.lock("t:lock", 30)
    assert first.acquire()
    try:
        assert not second.acquire()
        first.extend()
    finally:
        first.release()
    assert second.acquire()
    second.release()


def test_a_redis_lock_frees_itself_when_its_holder_vanishes(settings):
    lost, waiting = shared_state().lock("t:lapse", 0.2), shared_state().lock("t:lapse", 0.2)
    assert lost.acquire()
    time.sleep(0.3)
    assert waiting.acquire()
    waiting.release()


def test_a_flight_in_progress_never_holds_up_counters(settings, tmp_path):
    settings.REDIS_URL = ""
    settings.DATA_DIR = tmp_path
    state = shared_state()
    held = state.lock("same-key", 30)
    assert held.acquire()
    try:
        assert state.incr("same-key", 60) == 1
    finally:
        held.release()


def test_unreachable_redis_is_said_so(redis_down):
    state = shared_state()
    with pytest.raises(StateUnavailable):
        state.get("anything")
    with pytest.raises(StateUnavailable):
        state.get_many("anything", "else")
    with pytest.raises(StateUnavailable):
        state.update({"anything": ("1", 1)})
    with pytest.raises(StateUnavailable):
        state.lock("anything", 1).acquire()
