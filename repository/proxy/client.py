"""Outbound HTTP to upstreams: streaming, bounded, logged, and never where it may not go.

Built on urllib3 rather than httpx. Both are well kept; urllib3 is already in every
install (botocore needs it), and its pool manager keys connection pools on the TLS server
name as well as the address, which is what lets us connect to an address checked by the
SSRF guard (repository/proxy/addresses.py) while verifying the certificate of the host
name: a connection opened for one name is never reused for another name on the same
address. httpx keys its pool on the address alone.

What every request gets:
- only http and https; the upstream's Basic or bearer credentials only on its own origin
  (scheme, host, port), never on a redirect elsewhere;
- connect and read timeouts from the repository's settings; at most `max_redirects`
  redirects, each hop checked again;
- a size limit checked against Content-Length before reading and enforced mid-stream;
- an info log line per request (URL without credentials or query values, status, bytes,
  seconds) and the upstream metrics;
- failures as the exceptions of repository/proxy/errors.py: 404/410, 429 with Retry-After,
  timeouts, and everything else (5xx, refused connections, broken bodies);
- the repository's offline mode and circuit breaker, consulted before anything is sent.
"""

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

import urllib3
from django.conf import settings as django_settings
from urllib3.exceptions import (
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import TimeoutError as Urllib3Timeout

from repository.proxy.addresses import AddressGuard, AddressRefused
from repository.proxy.breaker import CircuitBreaker, breaker_for
from repository.proxy.errors import (
    UpstreamError,
    UpstreamIncomplete,
    UpstreamNotFound,
    UpstreamOffline,
    UpstreamRefused,
    UpstreamResting,
    UpstreamThrottled,
    UpstreamTimeout,
    UpstreamTooLarge,
)
from repository.proxy.metrics import UPSTREAM_BYTES, UPSTREAM_ERRORS, UPSTREAM_SECONDS
from repository.proxy.settings import ProxySettings, proxy_settings
from repository.proxy.status import StatusRecorder, recorder_for

logger = logging.getLogger("larder.proxy.upstream")

USER_AGENT = "Larder (proxy repository)"
CHUNK_SIZE = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ANSWERS = frozenset({200, 206, 304, 404, 410})  # what says the upstream is well
_DEFAULT_PORTS = {"http": 80, "https": 443}
# One set of pools per process, shared by every repository (keyed by address and name).
_POOLS = urllib3.PoolManager(num_pools=64, maxsize=8, retries=False)


@dataclass(frozen=True)
class Validators:
    """What the upstream said about a document last time, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None


def loggable(url: str) -> str:
    """The URL as logged and put in messages: no credentials, no query values (signed
    URLs carry their signature there)."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "…" if parts.query else "", ""))


def _origin(parts: SplitResult) -> tuple[str, str, int]:
    port = parts.port or _DEFAULT_PORTS[parts.scheme]
    return (parts.scheme, (parts.hostname or "").lower(), port)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class UpstreamClient:
    """Requests to one proxy repository's upstream and the file URLs its documents name."""

    def __init__(
        self,
        settings: ProxySettings,
        *,
        label: str,
        max_redirects: int = 5,
        max_bytes: int | None = None,
        breaker: CircuitBreaker | None = None,
        recorder: StatusRecorder | None = None,
    ) -> None:
        self.settings = settings
        self.breaker = breaker
        self.recorder = recorder  # the last success and failure, for the operator
        self.label = label  # the repository's name, in logs and metrics
        self.max_redirects = max_redirects
        self.max_bytes = settings.max_file_bytes if max_bytes is None else max_bytes
        self._guard = AddressGuard(settings.upstream_host)
        self._origin = _origin(urlsplit(settings.upstream))
        self._timeout = urllib3.Timeout(
            connect=settings.connect_timeout, read=settings.read_timeout
        )

    def url_for(self, path: str) -> str:
        """An upstream URL for a path relative to the configured upstream URL."""
        return urljoin(self.settings.upstream, path.lstrip("/"))

    def get(
        self,
        url: str,
        *,
        validators: Validators | None = None,
        byte_range: str | None = None,
        accept: str | None = None,
        decode: bool = False,
        max_bytes: int | None = None,
        method: str = "GET",
    ) -> "UpstreamResponse":
        """Send the request (following redirects) and return the response to stream.

        200, 206 and 304 come back as an UpstreamResponse, to be read or closed; every
        other outcome raises an UpstreamError. `decode` asks for a compressed transfer and
        yields decoded bytes (documents); files are always passed on byte for byte.
        """
        self._check_may_ask(url)
        headers = {"User-Agent": USER_AGENT}
        if accept:
            headers["Accept"] = accept
        headers["Accept-Encoding"] = "gzip" if decode else "identity"
        if byte_range:
            headers["Range"] = byte_range
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        limit = self.max_bytes if max_bytes is None else max_bytes
        for _ in range(self.max_redirects + 1):
            started = time.monotonic()
            raw, peer = self._send(method, url, headers, decode)
            location = raw.headers.get("Location")
            if raw.status in _REDIRECTS and location:
                self._log(method, url, raw.status, 0, started, peer)
                raw.drain_conn()
                raw.release_conn()
                url = urljoin(url, location)
                continue
            UPSTREAM_SECONDS.labels(self.label).observe(time.monotonic() - started)
            return self._classify(raw, method, url, started, peer, limit, decode)
        raise self._failed(
            UpstreamRefused(f"{loggable(url)}: more than {self.max_redirects} redirects"),
            method,
            url,
            started,
        )

    def _check_may_ask(self, url: str) -> None:
        if self.settings.offline:
            raise UpstreamOffline(f"{self.label} is offline: its upstream is never asked")
        if self.breaker is not None and not self.breaker.allow():
            wait = self.breaker.status().retry_after
            raise UpstreamResting(
                f"{loggable(url)}: the upstream failed repeatedly; not asked for a while",
                retry_after=wait,
            )

    def _send(
        self, method: str, url: str, headers: dict[str, str], decode: bool
    ) -> tuple[urllib3.BaseHTTPResponse, str]:
        started = time.monotonic()
        parts = urlsplit(url)
        if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise self._failed(
                UpstreamRefused(f"{loggable(url)}: only http and https URLs are fetched"),
                method,
                url,
                started,
            )
        host, port = parts.hostname, parts.port or _DEFAULT_PORTS[parts.scheme]
        try:
            addresses = self._guard.addresses(host, port)
        except AddressRefused as exc:
            raise self._failed(UpstreamRefused(str(exc)), method, url, started) from None
        hop = dict(headers)
        named = f"[{host}]" if ":" in host else host
        hop["Host"] = named if port == _DEFAULT_PORTS[parts.scheme] else f"{named}:{port}"
        if self.settings.credentials and _origin(parts) == self._origin:
            hop["Authorization"] = self.settings.credentials.header()
        target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        pool_kwargs = (
            {"server_hostname": host, "assert_hostname": host} if parts.scheme == "https" else {}
        )
        error: Exception | None = None
        for address in addresses:  # the next address only when one refuses to connect
            pool = _POOLS.connection_from_host(address, port, parts.scheme, pool_kwargs=pool_kwargs)
            try:
                raw = pool.urlopen(
                    method,
                    target,
                    headers=hop,
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    decode_content=decode,
                    timeout=self._timeout,
                    assert_same_host=False,
                )
                return raw, address
            except NewConnectionError as exc:
                error = UpstreamError(f"{loggable(url)}: cannot connect ({exc.__class__.__name__})")
            except Urllib3Timeout:
                error = UpstreamTimeout(f"{loggable(url)}: no answer in time")
                break
            except HTTPError as exc:
                error = UpstreamError(f"{loggable(url)}: {exc.__class__.__name__}")
                break
        raise self._failed(error, method, url, started)

    def _classify(self, raw, method, url, started, peer, limit, decode) -> "UpstreamResponse":
        status = raw.status
        if status in _ANSWERS:  # it answered (a 404 is an answer too)
            if self.breaker is not None:
                self.breaker.succeeded()
            if self.recorder is not None:
                self.recorder.succeeded()
        if status in {200, 206, 304}:
            response = UpstreamResponse(self, raw, method, url, started, peer, limit, decode)
            declared = response.content_length
            if limit is not None and declared is not None and declared > limit and not decode:
                response.close()
                raise self._failed(
                    UpstreamTooLarge(f"{loggable(url)}: {declared} bytes, above {limit}"),
                    method,
                    url,
                    started,
                    status,
                )
            return response
        raw.drain_conn()
        raw.release_conn()
        if status in {404, 410}:
            self._log(method, url, status, 0, started, peer)
            raise UpstreamNotFound(f"{loggable(url)}: the upstream has no such thing")
        if status == 429:
            wait = _retry_after(raw.headers.get("Retry-After"))
            error: UpstreamError = UpstreamThrottled(
                f"{loggable(url)}: the upstream is throttling requests", retry_after=wait
            )
        else:
            error = UpstreamError(f"{loggable(url)}: the upstream answered {status}")
        raise self._failed(error, method, url, started, status)

    def _failed(
        self,
        error: UpstreamError,
        method: str,
        url: str,
        started: float,
        status: int | None = None,
    ) -> UpstreamError:
        """Count and log the failure; the caller raises what this returns."""
        UPSTREAM_ERRORS.labels(self.label, error.reason).inc()
        if self.breaker is not None:
            self.breaker.failed(error)
        if self.recorder is not None:
            self.recorder.failed(str(error))  # built from loggable() URLs only
        logger.warning(
            "upstream %s %s -> %s (%s) in %.3f s [%s]",
            method,
            loggable(url),
            status or "no answer",
            error.reason,
            time.monotonic() - started,
            self.label,
        )
        return error

    def _log(self, method, url, status, received, started, peer) -> None:
        logger.info(
            "upstream %s %s -> %s, %d bytes in %.3f s from %s [%s]",
            method,
            loggable(url),
            status,
            received,
            time.monotonic() - started,
            peer,
            self.label,
        )


class UpstreamResponse:
    """A 200, 206 or 304 being received: iterate it once, or close it. Logged when done."""

    def __init__(self, client, raw, method, url, started, peer, limit, decode) -> None:
        self._client = client
        self._raw = raw
        self.method = method
        self.url = url
        self.peer = peer
        self.status: int = raw.status
        self.headers = raw.headers
        self.received = 0
        self.complete = False
        self._started = started
        self._limit = limit
        self._decode = decode
        self._closed = False

    @property
    def content_length(self) -> int | None:
        value = self.headers.get("Content-Length")
        return int(value) if value and value.isdigit() else None

    @property
    def validators(self) -> Validators:
        return Validators(self.headers.get("ETag"), self.headers.get("Last-Modified"))

    @property
    def content_range(self) -> tuple[int, int, int | None] | None:
        """(first, last, total) of a 206's Content-Range; total None when unknown."""
        value = self.headers.get("Content-Range", "")
        unit, _, rest = value.partition(" ")
        span, _, total = rest.partition("/")
        first, _, last = span.partition("-")
        if unit != "bytes" or not first.isdigit() or not last.isdigit():
            return None
        return int(first), int(last), int(total) if total.isdigit() else None

    def iter_bytes(self, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
        """The body, checked against the size limit and its declared length as it comes."""
        try:
            for chunk in self._raw.stream(chunk_size, decode_content=self._decode):
                self.received += len(chunk)
                if self._limit is not None and self.received > self._limit:
                    raise self.failed(
                        UpstreamTooLarge(f"{loggable(self.url)}: more than {self._limit} bytes")
                    )
                yield chunk
            self.complete = True
        except ReadTimeoutError:
            raise self.failed(UpstreamTimeout(f"{loggable(self.url)}: the body stalled")) from None
        except (ProtocolError, HTTPError) as exc:
            raise self.failed(
                UpstreamIncomplete(f"{loggable(self.url)}: the body broke off ({exc!s:.80})")
            ) from None
        finally:
            self.close()

    def read(self) -> bytes:
        return b"".join(self.iter_bytes())

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if not self.complete:
            self._raw.close()  # an unread rest: this connection cannot be reused
        self._raw.release_conn()
        UPSTREAM_BYTES.labels(self._client.label).inc(self.received)
        self._client._log(
            self.method, self.url, self.status, self.received, self._started, self.peer
        )

    def failed(self, error: UpstreamError) -> UpstreamError:
        """Close, count and log a failure found in this body (here or by a caller that
        checked its bytes); raise what this returns."""
        self.close()
        return self._client._failed(error, self.method, self.url, self._started, self.status)

    def __enter__(self) -> "UpstreamResponse":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def upstream_for(repository, settings: ProxySettings | None = None) -> UpstreamClient:
    """The client of a proxy repository: its settings, its breaker, its size limit, and
    the record of its upstream's last success and failure."""
    settings = settings or proxy_settings(repository.settings["proxy"])
    return UpstreamClient(
        settings,
        label=repository.name,
        max_bytes=settings.max_file_bytes or django_settings.LARDER_MAX_UPLOAD_BYTES,
        breaker=breaker_for(repository),
        recorder=recorder_for(repository),
    )
