"""A failed or interrupted upload leaves nothing visible and no temporary leftovers."""

import pytest

from repository.storage import UploadTooLarge

MIB = 1024 * 1024


class ClientWentAway(Exception):
    pass


def interrupted(blocks: int, block: bytes = b"x" * MIB):
    """A request body that breaks off midway (the client disconnected)."""
    for _ in range(blocks):
        yield block
    raise ClientWentAway


@pytest.mark.parametrize("blocks", [1, 20], ids=["small", "multipart"])
def test_it_keeps_nothing_of_an_interrupted_stream(store, temp_leftovers, blocks):
    with pytest.raises(ClientWentAway):
        store.ingest(interrupted(blocks))
    assert list(store.keys()) == []
    assert temp_leftovers(store) == []


@pytest.mark.parametrize("blocks", [3, 20], ids=["small", "multipart"])
def test_it_refuses_a_stream_past_the_limit_and_keeps_nothing(store, temp_leftovers, blocks):
    with pytest.raises(UploadTooLarge) as raised:
        store.ingest((b"y" * MIB for _ in range(blocks)), max_bytes=(blocks - 1) * MIB)
    assert raised.value.limit == (blocks - 1) * MIB
    assert list(store.keys()) == []
    assert temp_leftovers(store) == []


def test_it_accepts_a_stream_of_exactly_the_limit(store, temp_leftovers):
    digests = store.ingest((b"z" * MIB for _ in range(2)), max_bytes=2 * MIB)
    assert digests.size == 2 * MIB
    assert store.exists(digests.sha256)
    assert temp_leftovers(store) == []


def test_it_leaves_no_temporary_object_after_a_successful_ingest(store, temp_leftovers):
    store.ingest([b"a" * MIB] * 10)
    store.ingest([b"a" * MIB] * 10)
    assert temp_leftovers(store) == []
