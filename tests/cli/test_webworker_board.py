"""The table through which Larder's web workers share out connections."""

from repository.management.webworker import NO_SLOT, STALE_SECONDS, Board

THREADS = 4


class Clock:
    """time.monotonic() as the board sees it, moved by hand; a fresh host starts near 0."""

    def __init__(self) -> None:
        self.now = 0.5

    def __call__(self) -> float:
        return self.now


def board_of(slots: int) -> tuple[Board, Clock]:
    clock = Clock()
    return Board(slots=slots, clock=clock), clock


def test_each_live_worker_gets_a_slot_of_its_own():
    board, _ = board_of(3)
    assert [board.claim(pid) for pid in (11, 12, 13)] == [0, 1, 2]
    assert board.claim(14) == NO_SLOT


def test_the_slot_of_a_worker_that_left_or_went_silent_is_reused():
    board, clock = board_of(2)
    leaving, silent = board.claim(11), board.claim(12)
    board.release(leaving, 11)
    assert board.claim(13) == leaving
    clock.now += STALE_SECONDS
    board.publish(leaving, 13, connections=3, busy=0)
    assert board.claim(14) == silent


def test_a_worker_whose_slot_was_given_away_writes_nothing_into_it():
    board, clock = board_of(1)
    slot = board.claim(11)
    clock.now += STALE_SECONDS
    assert board.claim(12) == slot
    assert not board.publish(slot, 11, connections=50, busy=0)
    board.release(slot, 11)
    assert board.live() == [(0, 0)]


def test_the_least_loaded_worker_with_a_thread_free_sets_the_share():
    board, _ = board_of(4)
    for pid, connections, busy in ((11, 9, 1), (12, 2, THREADS), (13, 7, 0)):
        board.publish(board.claim(pid), pid, connections=connections, busy=busy)
    assert board.share(THREADS) == (7, True)


def test_when_no_worker_has_a_thread_free_the_least_loaded_sets_the_share():
    board, _ = board_of(4)
    for pid, connections in ((11, 9), (12, 5)):
        board.publish(board.claim(pid), pid, connections=connections, busy=THREADS)
    assert board.share(THREADS) == (5, False)


def test_workers_that_left_or_went_silent_hold_no_one_back():
    board, clock = board_of(4)
    busy, leaving, silent = board.claim(11), board.claim(12), board.claim(13)
    board.publish(busy, 11, connections=9, busy=0)
    board.release(leaving, 12)
    board.publish(silent, 13, connections=1, busy=0)
    clock.now += STALE_SECONDS / 2
    board.publish(busy, 11, connections=9, busy=0)
    assert board.share(THREADS) == (1, True)
    clock.now += STALE_SECONDS / 2
    assert board.share(THREADS) == (9, True)


def test_with_no_live_worker_nothing_is_held_back():
    board, _ = board_of(2)
    assert board.share(THREADS) == (0, False)
