"""What an operator sees of a proxy's upstream: when it last answered, when it last failed
and why, its breaker, and how much of it is cached here.

The client records each answer and each failure in the shared state (Redis, or files when
embedded), so every process's requests count and the repository page and the API read one
truth. Messages are the client's own, built from `loggable()` URLs: never credentials or
query values. A failed write of the status never fails the request it describes.
"""

from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Sum

from repository.models import Asset, Repository
from repository.proxy.breaker import BreakerStatus, breaker_for
from repository.proxy.shared import SharedState, StateUnavailable, shared_state

# Long enough that a quiet proxy still says when its upstream last answered.
_KEEP_SECONDS = 90 * 24 * 3600
_NOTE_EVERY_SECONDS = 1.0
_last_noted: dict[str, float] = {}  # this process's last write of each success key


@dataclass(frozen=True)
class Failure:
    at: datetime
    message: str


@dataclass(frozen=True)
class UpstreamStatus:
    breaker: BreakerStatus | None  # None when the shared state cannot be read
    last_success: datetime | None
    last_error: Failure | None
    cached_bytes: int


class StatusRecorder:
    """The last success and the last failure of one repository's upstream."""

    def __init__(self, name: str, state: SharedState | None = None) -> None:
        self._state = state
        self._success, self._error = f"status:{name}:success", f"status:{name}:error"

    @property
    def state(self) -> SharedState:
        return self._state or shared_state()

    def succeeded(self) -> None:
        """Noted at most once a second per process: a burst of fetches (a cold install)
        would otherwise write the same second again and again."""
        now = _now().timestamp()
        if now - _last_noted.get(self._success, 0.0) < _NOTE_EVERY_SECONDS:
            return
        with suppress(StateUnavailable):
            self.state.set(self._success, str(now), _KEEP_SECONDS)
            _last_noted[self._success] = now

    def failed(self, message: str) -> None:
        _last_noted.pop(self._success, None)  # the next success is noted, whenever it comes
        with suppress(StateUnavailable):
            self.state.set(self._error, f"{_now().timestamp()} {message}", _KEEP_SECONDS)

    def last_success(self) -> datetime | None:
        value = self._read(self._success)
        return _at(value) if value else None

    def last_error(self) -> Failure | None:
        value = self._read(self._error)
        if not value:
            return None
        at, _, message = value.partition(" ")
        return Failure(_at(at), message)

    def _read(self, key: str) -> str | None:
        try:
            return self.state.get(key)
        except StateUnavailable:
            return None


def _now() -> datetime:
    return datetime.now(UTC)


def _at(timestamp: str) -> datetime:
    return datetime.fromtimestamp(float(timestamp), UTC)


def recorder_for(repository: Repository) -> StatusRecorder:
    """By primary key, as the breaker: a new repository of a reused name starts afresh."""
    return StatusRecorder(f"repository-{repository.pk}")


def cached_bytes(repository: Repository) -> int:
    """The bytes of the repository's files that are here (a file not fetched has none)."""
    total = Asset.objects.filter(repository=repository, blob__isnull=False).aggregate(
        total=Sum("blob__size")
    )["total"]
    return total or 0


def upstream_status(repository: Repository) -> UpstreamStatus:
    recorder = recorder_for(repository)
    try:
        breaker = breaker_for(repository).status()
    except StateUnavailable:
        breaker = None
    return UpstreamStatus(
        breaker=breaker,
        last_success=recorder.last_success(),
        last_error=recorder.last_error(),
        cached_bytes=cached_bytes(repository),
    )
