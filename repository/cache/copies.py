"""Documents as sent, kept per web process and, compressed, shared through Redis.

A stored document (documents.py) holds a placeholder for the base URL; what a client gets
has its host filled in, and is offered gzip-compressed. Each process keeps documents as
sent under the owner, key, validity and base URL the request just read, so memory can
never hold a stale copy: it only saves re-reading and re-compressing large bodies (a
2,000-version packument).

Compressing such a body costs 30 to 40 ms, which each web process used to pay on its first
read of every new version, npm's read before a publish included. With Redis configured, a
large body's gzip is kept there for a few minutes under the stored document's ETag (a hash
of its content) and the whole hash of the host it was filled in for, so it cannot be stale
or another host's. After rendering a package's documents, the Celery worker compresses the
large ones ahead (compress_ahead) for the hosts clients used lately; a read that comes
before that compresses and shares what it made.
"""

import contextlib
import gzip
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import redis
from django.conf import settings

from repository.cache.documents import Owner, Validity, etag_of, load_or_render
from repository.cache.memory import MemoryCache
from repository.models import RenderedDocument
from repository.redisclient import redis_client
from repository.urlbase import BASE_PLACEHOLDER

# Below this, compressing costs less than a Redis round trip: done in place.
SHARED_MIN_BYTES = 64 * 1024
# Long enough for every web process to take its copy into memory.
SHARED_SECONDS = 600
_GZIP_KEY = "larder:gzip:{key}"
_BASE_URLS_KEY = "larder:document-base-urls"
# Base URLs compressed ahead: the most recent few used within this time.
BASE_URL_SECONDS = 24 * 3600
MAX_BASE_URLS = 4


@dataclass(frozen=True)
class Served:
    """A document as sent: its ETag, its bytes and the same bytes gzip-compressed."""

    etag: str
    body: bytes
    gzipped: bytes

    @property
    def cost(self) -> int:
        return len(self.body) + len(self.gzipped)


copies: MemoryCache[Served] = MemoryCache(
    settings.LARDER_DOCUMENT_CACHE_BYTES, cost=lambda served: served.cost
)


def as_sent(etag: str, body: bytes, base_url: str | None) -> tuple[str, bytes, str]:
    """A stored document's ETag, body and shared key for one host: absolute URLs filled in,
    and the host in the ETag, so that a cache never gives one host's copy to another.

    The shared key (of the gzip copy in Redis) holds the whole hash of the host: clients
    choose the Host header, and a copy kept for one must never reach another.
    """
    if base_url is None:
        return etag, body, etag
    body = body.replace(BASE_PLACEHOLDER.encode(), base_url.encode())
    host = hashlib.sha256(base_url.encode()).hexdigest()
    return etag + host[:8], body, f"{etag}:{host}"


def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=6, mtime=0)


def compressed(shared_key: str, body: bytes) -> bytes:
    """`body` gzip-compressed: from Redis when a process or the renderer did it already."""
    client = redis_client() if len(body) >= SHARED_MIN_BYTES else None
    if client is None:
        return _gzip(body)
    key = _GZIP_KEY.format(key=shared_key)
    try:
        found = client.get(key)
    except redis.RedisError:
        return _gzip(body)
    if found is not None:
        return found
    gzipped = _gzip(body)
    with contextlib.suppress(redis.RedisError):  # if so, the next process compresses it
        client.set(key, gzipped, ex=SHARED_SECONDS)
    return gzipped


def _remember_base_url(base_url: str) -> None:
    """Note that a client read a large document through `base_url`, so that compress_ahead
    covers it. Called on a miss of this process's memory only; the list stays bounded."""
    client = redis_client()
    if client is None:
        return
    # If Redis fails, compress_ahead misses this host: its readers compress on first read.
    with contextlib.suppress(redis.RedisError), client.pipeline(transaction=False) as pipe:
        pipe.zadd(_BASE_URLS_KEY, {base_url: time.time()})
        pipe.zremrangebyrank(_BASE_URLS_KEY, 0, -MAX_BASE_URLS - 1)
        pipe.execute()


def served(
    owner: Owner,
    key: str,
    validity: Validity,
    content_type: str,
    render: Callable[[], bytes],
    base_url: str | None,
) -> Served:
    """The document as sent to `base_url`, from this process's memory while current."""
    memory_key = (*owner.identity, key, validity, base_url)
    found = copies.get(memory_key)
    if found is not None and not validity.expired:
        return found
    document = load_or_render(owner, key, validity, content_type, render, wait_for_worker=True)
    body = bytes(document.body)
    if base_url is not None and len(body) >= SHARED_MIN_BYTES:
        _remember_base_url(base_url)
    etag, sent, shared_key = as_sent(document.etag, body, base_url)
    found = Served(etag, sent, compressed(shared_key, sent))
    if document.validity == validity.generation:
        copies.put(memory_key, found)
    return found


def sent_once(body: bytes, base_url: str | None) -> Served:
    """A document rendered for one answer and kept nowhere (a proxy's first answer of a
    package, built before its rows are stored)."""
    etag, sent, _ = as_sent(etag_of(body), body, base_url)
    return Served(etag, sent, _gzip(sent))


def compress_ahead(documents: Iterable[RenderedDocument]) -> None:
    """After a render: the large ones of the just-rendered `documents` compressed into Redis
    for each base URL clients read large documents through within BASE_URL_SECONDS."""
    client = redis_client()
    large = [document for document in documents if len(document.body) >= SHARED_MIN_BYTES]
    if client is None or not large:
        return
    try:
        base_urls = client.zrangebyscore(_BASE_URLS_KEY, time.time() - BASE_URL_SECONDS, "+inf")
        for document in large:
            body = bytes(document.body)
            for base_url in base_urls:
                _, sent, shared_key = as_sent(document.etag, body, base_url.decode())
                client.set(_GZIP_KEY.format(key=shared_key), _gzip(sent), ex=SHARED_SECONDS)
    except redis.RedisError:
        return  # what is left, readers compress on their first read
