"""The circuit breaker per proxy repository: stop asking an upstream that keeps failing.

After `breaker_threshold` consecutive failures (errors, timeouts, broken bodies) the
breaker opens for `breaker_open_seconds`: the proxy serves its cache and answers the rest
at once (503 with Retry-After) instead of after a timeout. Then one request, deployment
wide, is let through (half-open): its success closes the breaker, its failure opens it
again. An upstream 429 opens it at once for the Retry-After it gave. 404s and refusals of
our own (private addresses, size limits) say nothing about the upstream's health.

The counts live in the shared state (Redis, or files when embedded), so every process
sees one breaker; `status()` is what the UI and the metrics show.
"""

import logging
import time
from contextlib import suppress
from dataclasses import dataclass
from enum import StrEnum

from repository.proxy.errors import UpstreamError, UpstreamThrottled
from repository.proxy.settings import proxy_settings
from repository.proxy.shared import SharedState, StateUnavailable, shared_state

logger = logging.getLogger("larder.proxy.breaker")

# What says the upstream is unwell (see errors.py for every reason).
_FAILURES = frozenset({"error", "timeout", "incomplete"})
# Consecutive failures are forgotten after a day without any.
_MEMORY_SECONDS = 24 * 3600


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass(frozen=True)
class BreakerStatus:
    state: BreakerState
    failures: int
    retry_after: float | None  # seconds until a request is let through again, when open


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        *,
        threshold: int,
        open_seconds: float,
        trial_seconds: float = 30.0,
        state: SharedState | None = None,
    ) -> None:
        self.name = name
        self.threshold = threshold
        self.open_seconds = open_seconds
        self.trial_seconds = trial_seconds  # one trial request's lease
        self._state = state
        self._failures_seen: int | None = None  # by the last allow(); None: not asked
        key = f"breaker:{name}:"
        self._failures, self._open_until, self._trial = (
            key + "failures",
            key + "open",
            key + "trial",
        )

    @property
    def state(self) -> SharedState:
        return self._state or shared_state()

    def allow(self) -> bool:
        """May a request go to the upstream now? (Takes the one trial when half-open.)"""
        try:
            status = self.status()
            self._failures_seen = status.failures
            if status.state is BreakerState.OPEN:
                return False
            if status.state is BreakerState.HALF_OPEN:
                return self.state.add(self._trial, "1", self.trial_seconds)
        except StateUnavailable:
            return True  # without shared state, no breaker: ask the upstream
        return True

    def succeeded(self) -> None:
        """The count starts again. Nothing to do if none stood when this breaker allowed
        the request (one counted since by another process stands until the next success
        after it)."""
        if self._failures_seen == 0:
            return
        with suppress(StateUnavailable):
            if self.state.get(self._failures) is not None:
                self.state.delete(self._failures, self._open_until, self._trial)

    def failed(self, error: UpstreamError) -> None:
        """Count `error` if it is the upstream's fault; open when the count is reached."""
        if isinstance(error, UpstreamThrottled):
            self._open(error.retry_after or self.open_seconds, "throttled (429)")
            return
        if error.reason not in _FAILURES:
            return
        try:
            count = self.state.incr(self._failures, _MEMORY_SECONDS)
        except StateUnavailable:
            return
        if count >= self.threshold:
            self._open(self.open_seconds, f"{count} consecutive failures")

    def _open(self, seconds: float, why: str) -> None:
        try:
            self.state.set(self._open_until, str(time.time() + seconds), seconds)
            self.state.delete(self._trial)
        except StateUnavailable:
            return
        logger.warning("upstream of %s: breaker open for %.0f s (%s)", self.name, seconds, why)

    def status(self) -> BreakerStatus:
        failures, open_until = self.state.get_many(self._failures, self._open_until)
        failures = int(failures or 0)
        now = time.time()
        if open_until is not None and float(open_until) > now:
            return BreakerStatus(BreakerState.OPEN, failures, float(open_until) - now)
        if failures >= self.threshold:
            return BreakerStatus(BreakerState.HALF_OPEN, failures, None)
        return BreakerStatus(BreakerState.CLOSED, failures, None)


def breaker_for(repository) -> CircuitBreaker:
    """The breaker of a proxy repository (by primary key: names can be reused)."""
    settings = proxy_settings(repository.settings["proxy"])
    return CircuitBreaker(
        f"repository-{repository.pk}",
        threshold=settings.breaker_threshold,
        open_seconds=settings.breaker_open_seconds,
        trial_seconds=settings.connect_timeout + settings.read_timeout,
    )
