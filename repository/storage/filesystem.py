"""Blobs as files under one directory; a temp file is renamed into place when complete."""

import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from repository.storage.base import CHUNK_SIZE, Digests, HashingReader, Verifier, blob_key


class FilesystemBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._tmp = self.root / "tmp"

    def _path(self, sha256: str) -> Path:
        return self.root / blob_key(sha256)

    def ingest(
        self, chunks: Iterable[bytes], max_bytes: int | None = None, verify: Verifier | None = None
    ) -> Digests:
        self._tmp.mkdir(parents=True, exist_ok=True)
        temp = self._tmp / uuid.uuid4().hex
        reader = HashingReader(chunks, max_bytes)
        try:
            with open(temp, "wb") as out:
                for chunk in reader:
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            digests = reader.digests()
            if verify is not None:
                verify(digests)
            final = self._path(digests.sha256)
            final.parent.mkdir(parents=True, exist_ok=True)
            # Replaced even when stored already: the new file's mtime keeps GC's grace
            # honest, and unlike touching the old file, a rename cannot interleave with
            # GC's own (see delete_if_unwritten_since).
            os.replace(temp, final)
            return digests
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    def open(self, sha256: str) -> BinaryIO:
        return open(self._path(sha256), "rb")

    def iter_range(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        with self.open(sha256) as handle:
            handle.seek(start)
            remaining = end - start + 1
            while remaining > 0:
                chunk = handle.read(min(CHUNK_SIZE, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                yield chunk

    def exists(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def modified(self, sha256: str) -> float | None:
        try:
            return self._path(sha256).stat().st_mtime
        except FileNotFoundError:
            return None

    def delete(self, sha256: str) -> None:
        self._path(sha256).unlink(missing_ok=True)

    def delete_if_unwritten_since(self, sha256: str, cutoff: float) -> bool:
        """Moved aside first, then judged: an ingest renames its file into place, so one
        before the move shows as a fresh mtime (the file goes back) and one after it leaves
        its own file in place. Checking and then unlinking would lose an ingest's bytes."""
        final = self._path(sha256)
        self._tmp.mkdir(parents=True, exist_ok=True)
        doomed = self._tmp / f"gc-{uuid.uuid4().hex}"
        try:
            os.replace(final, doomed)
        except FileNotFoundError:
            return False
        if doomed.stat().st_mtime >= cutoff:
            os.replace(doomed, final)  # the same bytes if an ingest wrote them meanwhile
            return False
        doomed.unlink()
        return True

    def keys(self) -> Iterator[tuple[str, float]]:
        base = self.root / "blobs" / "sha256"
        if not base.is_dir():
            return
        for path in base.glob("*/*/*"):
            yield path.name, path.stat().st_mtime

    def local_path(self, sha256: str) -> Path | None:
        return self._path(sha256)

    def presigned_url(self, sha256: str, filename: str, content_type: str) -> str | None:
        return None

    def check(self) -> None:
        self._tmp.mkdir(parents=True, exist_ok=True)
        probe = self._tmp / f"ready-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")
        probe.unlink()
