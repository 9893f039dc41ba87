"""What `larder proxy warm` and `larder proxy invalidate` do: look the repository up, call
the proxy's services, and wait for the worker walking a warm, showing its progress."""

import time
from collections.abc import Callable

from django.core.management.base import CommandError

from repository.management.progress import ProgressBar, megabytes
from repository.management.retention import find_repository
from repository.proxy.manage import file_items, invalidate, start_warm
from repository.proxy.shared import StateUnavailable
from repository.proxy.warm import Status, Warm, load

POLL_SECONDS = 0.5
WORKER_PATIENCE = 10.0  # seconds queued before the command says it waits for a worker

Progress = Callable[[Warm], None]


def progress_printer(stream=None) -> Progress:
    bar = ProgressBar(stream)

    def show(warm: Warm) -> None:
        text = (
            f"items, {warm.files_fetched} files fetched ({megabytes(warm.bytes_fetched)}), "
            f"{warm.error_count} errors"
        )
        bar.show(warm.items_done, warm.items_total, text, final=warm.over)

    return show


def queue_warm(repository_name: str, text: str) -> Warm:
    repository = find_repository(repository_name)
    try:
        return start_warm(repository, file_items(repository, text))
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    except StateUnavailable as exc:
        raise CommandError(f"the shared state is unreachable: {exc}") from None


def wait_for(warm: Warm, progress: Progress | None, notice: Callable[[str], None]) -> Warm:
    """The warm's record once a worker finished it, shown as it goes."""
    since = time.monotonic()
    told = False
    while True:
        found = load(warm.id)
        if found is None:
            raise CommandError(f"warm {warm.id} is no longer recorded")
        if progress is not None:
            progress(found)
        if found.over:
            return found
        waited = time.monotonic() - since
        if found.status == Status.QUEUED and waited > WORKER_PATIENCE and not told:
            notice(f"larder: warm {warm.id} waits for a Celery worker (is `larder worker` up?)")
            told = True
        time.sleep(POLL_SECONDS)


def drop_metadata(repository_name: str, package: str | None) -> str | None:
    try:
        return invalidate(find_repository(repository_name), package)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    except StateUnavailable as exc:
        raise CommandError(f"the shared state is unreachable: {exc}") from None
