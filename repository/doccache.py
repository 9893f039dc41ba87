"""Documents as sent, kept per web process and, compressed, shared through Redis.

Entries are keyed by the document's identity plus the generation the request just read
from the database, so a process can never serve a stale copy: this holds no shared state,
it only saves re-reading and re-compressing large bodies (a 2,000-version packument).

Compressing such a body costs 30 to 40 ms, which each web process used to pay on its
first read of every new version, npm's read right after a publish included. With Redis
configured, a large body's gzip is kept there under its ETag, which names both the
content and the host it was filled in for, so it can never be stale. The Celery worker
that renders a package's documents compresses them ahead (compress_ahead) for the base
URLs clients used lately, so no web process compresses them at all.
"""

import contextlib
import gzip
import hashlib
import time
from dataclasses import dataclass

import redis
from django.conf import settings

from repository.costcache import CostBoundedCache
from repository.models import Package, RenderedDocument
from repository.redisclient import redis_client

BASE_PLACEHOLDER = "@@LARDER_BASE_URL@@"
# Below this, compressing costs less than a Redis round trip: done in place.
SHARED_MIN_BYTES = 64 * 1024
SHARED_SECONDS = 3600
_GZIP_KEY = "larder:gzip:{etag}"
_BASE_URLS_KEY = "larder:document-base-urls"
# Base URLs compressed ahead: those used within this time, the most recent first.
BASE_URL_SECONDS = 24 * 3600
MAX_BASE_URLS = 8


@dataclass(frozen=True)
class Served:
    """A document as sent: its ETag, its bytes and the same bytes gzip-compressed."""

    etag: str
    body: bytes
    gzipped: bytes

    @classmethod
    def build(cls, etag: str, body: bytes) -> "Served":
        return cls(etag, body, compressed(etag, body))

    @property
    def cost(self) -> int:
        return len(self.body) + len(self.gzipped)


cache: CostBoundedCache[Served] = CostBoundedCache(settings.LARDER_DOCUMENT_CACHE_BYTES)


def as_sent(etag: str, body: bytes, base_url: str | None) -> tuple[str, bytes]:
    """A stored document's ETag and body for one host: absolute URLs filled in, and the
    host in the ETag, so that a cache never gives one host's copy to another."""
    if base_url is None:
        return etag, body
    body = body.replace(BASE_PLACEHOLDER.encode(), base_url.encode())
    return etag + hashlib.sha256(base_url.encode()).hexdigest()[:8], body


def compressed(etag: str, body: bytes) -> bytes:
    """`body` gzip-compressed: from Redis when a process or the renderer did it already."""
    client = redis_client() if len(body) >= SHARED_MIN_BYTES else None
    key = _GZIP_KEY.format(etag=etag)
    if client is not None:
        try:
            found = client.get(key)
        except redis.RedisError:
            found, client = None, None
        if found is not None:
            return found
    gzipped = gzip.compress(body, compresslevel=6, mtime=0)
    if client is not None:
        with contextlib.suppress(redis.RedisError):  # if so, the next process compresses it
            client.set(key, gzipped, ex=SHARED_SECONDS)
    return gzipped


def remember_base_url(base_url: str) -> None:
    """Note that a client read a document through `base_url` (called once per process and
    document version, on a miss), so that compress_ahead covers it."""
    client = redis_client()
    if client is None:
        return
    # If Redis fails, compress_ahead misses this host: its readers compress on first read.
    with contextlib.suppress(redis.RedisError):
        client.hset(_BASE_URLS_KEY, base_url, int(time.time()))


def _recent_base_urls(client: redis.Redis) -> list[str]:
    seen = {url.decode(): int(stamp) for url, stamp in client.hgetall(_BASE_URLS_KEY).items()}
    cutoff = time.time() - BASE_URL_SECONDS
    if stale := [url for url, stamp in seen.items() if stamp < cutoff]:
        client.hdel(_BASE_URLS_KEY, *stale)
    recent = sorted((url for url in seen if url not in stale), key=seen.get, reverse=True)
    return recent[:MAX_BASE_URLS]


def compress_ahead(package: Package) -> None:
    """After a render: the package's large current documents compressed into Redis for
    each base URL clients used lately (a document without absolute URLs once)."""
    client = redis_client()
    if client is None:
        return
    try:
        base_urls = _recent_base_urls(client)
    except redis.RedisError:
        return
    documents = RenderedDocument.objects.filter(package=package, generation=package.generation)
    for etag, body in documents.values_list("etag", "body"):
        body = bytes(body)
        if len(body) < SHARED_MIN_BYTES:
            continue
        for base_url in base_urls if BASE_PLACEHOLDER.encode() in body else [None]:
            compressed(*as_sent(etag, body, base_url))
