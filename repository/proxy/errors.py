"""What can go wrong asking an upstream, and what the proxy's client is told then.

Each failure carries `reason` (the metric label and log word) and `client_status`: an
upstream 404 is the client's 404 (cached for the negative TTL only), a timeout is 504, a
throttled or resting upstream is 503 with Retry-After, anything else is 502.
"""


class UpstreamError(Exception):
    """The upstream failed us (5xx, refused connection, broken protocol): 502."""

    reason = "error"
    client_status = 502

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UpstreamNotFound(UpstreamError):
    """The upstream has no such document or file (404, 410)."""

    reason = "not_found"
    client_status = 404


class UpstreamTimeout(UpstreamError):
    """Connecting or reading took longer than the repository's timeout."""

    reason = "timeout"
    client_status = 504


class UpstreamThrottled(UpstreamError):
    """The upstream said 429: asked again only after `retry_after` seconds."""

    reason = "throttled"
    client_status = 503


class UpstreamResting(UpstreamError):
    """Not asked at all: the circuit breaker is open, or the repository is offline."""

    reason = "breaker_open"
    client_status = 503


class UpstreamOffline(UpstreamError):
    """The repository is in offline mode: what is not cached is not there."""

    reason = "offline"
    client_status = 404


class UpstreamRefused(UpstreamError):
    """Larder will not make this request: not http(s), a private address, too many
    redirects (a hostile or broken upstream)."""

    reason = "refused"


class UpstreamTooLarge(UpstreamError):
    """The body passed the repository's size limit; nothing was kept."""

    reason = "too_large"


class UpstreamIncomplete(UpstreamError):
    """The body ended before its declared length, or the connection broke mid-body."""

    reason = "incomplete"


class DigestMismatch(UpstreamError):
    """The bytes are not the ones the upstream's index published a hash for."""

    reason = "digest_mismatch"
