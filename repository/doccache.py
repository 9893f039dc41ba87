"""A per-process, size-bounded cache of served documents, checked against the database.

Entries are keyed by the document's identity plus the generation the request just read
from the database, so a process can never serve a stale copy: this holds no shared state,
it only saves re-reading and re-compressing large bodies (a 2,000-version packument).
"""

import gzip
from dataclasses import dataclass

from django.conf import settings

from repository.costcache import CostBoundedCache


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


cache: CostBoundedCache[Served] = CostBoundedCache(settings.LARDER_DOCUMENT_CACHE_BYTES)
