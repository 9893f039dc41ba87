"""Stream an upstream file to the client while it is stored, keeping it only if it is right.

The blob store consumes an iterator (`ingest()`), and the client's response is another
iterator: one cannot drive both. So the store runs on a thread of its own, fed through a
small bounded queue (a slow store slows the transfer instead of filling memory), while the
response thread passes each chunk to the client.

The file is kept only if the transfer was complete and its digests match every hash the
upstream's index published (PyPI sha256, npm sha512 integrity and sha1 shasum): the store's
`verify` hook refuses it before it becomes visible. The client's last chunk is held back
until then, so a client whose bytes turn out wrong sees a broken-off response (short of
its Content-Length) instead of a complete bad file. A store that fails for its own reasons
(disk full, S3 away) does not fail the client: the file is passed on and just not kept.
"""

import base64
import hmac
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import transaction

from repository.models import Blob
from repository.proxy.client import UpstreamResponse, loggable
from repository.proxy.errors import DigestMismatch
from repository.proxy.flight import Leader
from repository.services.blobs import record_blob
from repository.storage import BlobStore, Digests, blob_store

logger = logging.getLogger("larder.proxy.tee")

_ALGORITHMS = frozenset({"sha256", "sha1", "sha512", "md5", "blake2b_256"})
_SRI_SIZES = {"sha1": 20, "sha256": 32, "sha512": 64}
_QUEUE_CHUNKS = 8
_PUT_SECONDS = 0.5


@dataclass(frozen=True)
class ExpectedDigest:
    """A hash the upstream published for a file, as lowercase hex."""

    algorithm: str  # a Digests field
    hexdigest: str

    def __post_init__(self) -> None:
        if self.algorithm not in _ALGORITHMS:
            raise ValueError(f"unknown digest {self.algorithm!r}")

    @classmethod
    def from_integrity(cls, integrity: str) -> "ExpectedDigest":
        """From a Subresource Integrity string (npm's `dist.integrity`: sha512-<base64>)."""
        algorithm, _, encoded = integrity.strip().partition("-")
        if algorithm not in _SRI_SIZES:
            raise ValueError(f"unsupported integrity {integrity[:16]!r}")
        digest = base64.b64decode(encoded, validate=True)
        if len(digest) != _SRI_SIZES[algorithm]:
            raise ValueError(f"integrity {integrity[:16]!r}... is not a whole {algorithm}")
        return cls(algorithm, digest.hex())


def verifier(expected: Sequence[ExpectedDigest], size: int | None = None):
    """A store `verify` hook refusing bytes that are not what the index promised."""

    def verify(digests: Digests) -> None:
        if size is not None and digests.size != size:
            raise DigestMismatch(f"{digests.size} bytes where the index said {size}")
        for digest in expected:
            actual = getattr(digests, digest.algorithm)
            if not hmac.compare_digest(actual, digest.hexdigest.lower()):
                raise DigestMismatch(
                    f"{digest.algorithm} {actual} where the index said {digest.hexdigest}"
                )

    return verify


class _Aborted(Exception):
    """The transfer ended without a complete body: the store throws its temp away."""


_END = object()
_ABORT = object()


class _Feed:
    """The chunks the store thread ingests, put in by the response thread."""

    def __init__(self) -> None:
        self._queue: queue.Queue = queue.Queue(maxsize=_QUEUE_CHUNKS)

    def __iter__(self) -> Iterator[bytes]:
        while (item := self._queue.get()) is not _END:
            if item is _ABORT:
                raise _Aborted
            yield item

    def put(self, item, alive: Callable[[], bool]) -> bool:
        """False if the store thread has stopped taking chunks."""
        while alive():
            try:
                self._queue.put(item, timeout=_PUT_SECONDS)
                return True
            except queue.Full:
                continue
        return False


class Tee(Iterable[bytes]):
    """Iterate once: the body for the client; meanwhile the blob, if it proves right.

    `on_stored(blob)` runs (on the response thread, with the Blob row recorded) after the
    whole file is stored and verified and before its last chunk goes to the client, so a
    client that got the whole file can find it cached. A Leader (single flight) is kept
    alive during the transfer and released at the end, however it ends.
    """

    def __init__(
        self,
        response: UpstreamResponse,
        expected: Sequence[ExpectedDigest] = (),
        *,
        on_stored: Callable[[Blob], None] = lambda blob: None,
        size: int | None = None,
        max_bytes: int | None = None,
        leader: Leader | None = None,
        store: BlobStore | None = None,
    ) -> None:
        self.response = response
        self.blob: Blob | None = None
        self._verify = verifier(expected, size)
        self._on_stored = on_stored
        self._max_bytes = max_bytes
        self._leader = leader
        self._store = store or blob_store()
        self._feed = _Feed()
        self._digests: Digests | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._ingest, daemon=True)

    def _ingest(self) -> None:
        try:
            self._digests = self._store.ingest(self._feed, self._max_bytes, self._verify)
        except BaseException as exc:  # reported by the response thread
            self._error = exc

    def __iter__(self) -> Iterator[bytes]:
        self._thread.start()
        storing = True
        held: bytes | None = None
        try:
            for chunk in self.response.iter_bytes():
                if storing:
                    storing = self._feed.put(chunk, self._thread.is_alive)
                if self._leader is not None:
                    self._leader.extend()
                if held is not None:
                    yield held
                held = chunk
            if storing:
                self._feed.put(_END, self._thread.is_alive)
            self._finish()
            if held is not None:
                yield held
        finally:
            if self._thread.is_alive():  # the client left, or the upstream broke off
                self._feed.put(_ABORT, self._thread.is_alive)
                self._thread.join()
            if self._leader is not None:
                self._leader.release()

    def _finish(self) -> None:
        """Keep the verified blob, or report why not (raising if the bytes were wrong)."""
        self._thread.join()
        if isinstance(self._error, DigestMismatch):
            logger.error("upstream file %s refused: %s", loggable(self.response.url), self._error)
            raise self.response.failed(self._error)
        if self._error is not None or self._digests is None:
            logger.error(
                "upstream file %s passed on but not cached: the blob store failed (%r)",
                loggable(self.response.url),
                self._error,
            )
            return
        with transaction.atomic():  # the row and what on_stored does with it: one commit
            self.blob = record_blob(self._digests)
            self._on_stored(self.blob)
