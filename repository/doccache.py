"""A per-process, size-bounded cache of served documents, checked against the database.

Entries are keyed by the document's identity plus the generation the request just read
from the database, so a process can never serve a stale copy: this holds no shared state,
it only saves re-reading and re-compressing large bodies (a 2,000-version packument).
"""

import gzip
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Served:
    """A document as sent: its ETag, its bytes and the same bytes gzip-compressed."""

    etag: str
    body: bytes
    gzipped: bytes

    @classmethod
    def build(cls, etag: str, body: bytes) -> "Served":
        return cls(etag, body, gzip.compress(body, compresslevel=6, mtime=0))

    @property
    def cost(self) -> int:
        return len(self.body) + len(self.gzipped)


class DocumentCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, Served] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Served | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Served) -> None:
        if entry.cost > self.max_bytes // 4:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._total -= previous.cost
            self._entries[key] = entry
            self._total += entry.cost
            while self._total > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._total -= evicted.cost


cache = DocumentCache(settings.LARDER_DOCUMENT_CACHE_BYTES)
