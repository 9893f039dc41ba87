"""The blob store contract and the streaming hasher every backend shares."""

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK_SIZE = 1024 * 1024


class UploadTooLarge(Exception):
    """The stream passed the configured byte limit; nothing was stored."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"upload exceeds the limit of {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Digests:
    size: int
    sha256: str
    sha1: str
    md5: str
    sha512: str
    blake2b_256: str


# Called with a complete upload's digests before it is stored; raises to refuse it.
Verifier = Callable[[Digests], None]


class HashingReader:
    """Passes chunks through while computing every digest a format may need, once."""

    def __init__(self, chunks: Iterable[bytes], max_bytes: int | None = None) -> None:
        self._chunks = iter(chunks)
        self._max_bytes = max_bytes
        self._buffer = b""
        self.size = 0
        self._hashes = {
            "sha256": hashlib.sha256(),
            "sha1": hashlib.sha1(),
            "md5": hashlib.md5(),
            "sha512": hashlib.sha512(),
            "blake2b_256": hashlib.blake2b(digest_size=32),
        }

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            if chunk:
                self._consume(chunk)
                yield chunk

    def _consume(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self._max_bytes is not None and self.size > self._max_bytes:
            raise UploadTooLarge(self._max_bytes)
        for digest in self._hashes.values():
            digest.update(chunk)

    def read(self, size: int = -1) -> bytes:
        """File-like access for clients (boto3) that pull rather than iterate."""
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._consume(chunk)
            self._buffer += chunk
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def digests(self) -> Digests:
        return Digests(size=self.size, **{k: h.hexdigest() for k, h in self._hashes.items()})


def iter_file(fileobj: BinaryIO, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Chunks of a readable file object, for feeding ingest() from uploads."""
    while chunk := fileobj.read(chunk_size):
        yield chunk


def blob_key(sha256: str) -> str:
    """Where a blob lives: fanned out so no directory or prefix grows huge."""
    return f"blobs/sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class BlobStore(Protocol):
    """Content-addressed, immutable storage. Writes are all-or-nothing."""

    def ingest(
        self,
        chunks: Iterable[bytes],
        max_bytes: int | None = None,
        verify: "Verifier | None" = None,
    ) -> Digests:
        """Stream bytes in, hashing them; visible under their sha256 only once complete.

        `verify` sees the digests before the bytes become visible; if it raises, nothing
        is stored (a proxied file that is not what its upstream's index promised).
        """

    def open(self, sha256: str) -> BinaryIO:
        """A readable (seekable where the backend allows) file of the blob."""

    def iter_range(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        """Bytes start..end inclusive, streamed."""

    def exists(self, sha256: str) -> bool: ...

    def modified(self, sha256: str) -> float | None:
        """When the bytes were last written (ingest refreshes it); None if absent."""

    def delete(self, sha256: str) -> None: ...

    def delete_if_unwritten_since(self, sha256: str, cutoff: float) -> bool:
        """Delete the bytes unless ingest() wrote them at or after `cutoff` (GC: an upload
        may be storing them again right now); True if they were deleted."""

    def keys(self) -> Iterator[tuple[str, float]]:
        """Every stored sha256 with its modification time (for garbage collection)."""

    def local_path(self, sha256: str) -> Path | None:
        """A path on this machine, for sendfile; None where blobs are remote."""

    def presigned_url(self, sha256: str, filename: str, content_type: str) -> str | None:
        """A temporary direct URL, where the backend offers one and it is enabled."""

    def check(self) -> None:
        """Raise if the store cannot be reached (readiness probe)."""
