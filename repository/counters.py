"""Download counts without a hot row.

Every download of a popular file updating the same row serialises the downloads behind
its lock and a commit. With Redis configured, each web process adds up its downloads for
LARDER_DOWNLOAD_COUNT_SECONDS seconds, then increments Redis hashes, and a beat task folds
those into the database each minute; retention's "last downloaded" is at most that stale.
Embedded (no Redis) the rows are updated directly.
"""

import atexit
import logging
import threading
import time
import uuid
from datetime import UTC, datetime

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import F

from repository.models import Asset, Version
from repository.redisclient import redis_client

logger = logging.getLogger(__name__)

_PREFIX = "larder:downloads"
_TABLES = {"asset": Asset, "version": Version}


class _ProcessBuffer:
    """Downloads counted in this process, sent to Redis in one round trip a second.

    One Redis round trip per download cost a tenth of a download request; a worker that
    dies loses at most its last second of counts.
    """

    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], int] = {}
        self._last: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def add(self, ids: dict[str, int]) -> None:
        now = int(time.time())
        with self._lock:
            for kind, pk in ids.items():
                self._counts[kind, pk] = self._counts.get((kind, pk), 0) + 1
                self._last[kind, pk] = now
            if self._timer is None and settings.LARDER_DOWNLOAD_COUNT_SECONDS > 0:
                self._timer = threading.Timer(settings.LARDER_DOWNLOAD_COUNT_SECONDS, self.send)
                self._timer.daemon = True
                self._timer.start()

    def send(self) -> None:
        with self._lock:
            counts, lasts = self._counts, self._last
            self._counts, self._last, self._timer = {}, {}, None
        client = redis_client()
        if not counts or client is None:
            return
        pipe = client.pipeline(transaction=False)
        for (kind, pk), count in counts.items():
            pipe.hincrby(f"{_PREFIX}:{kind}:count", pk, count)
            pipe.hset(f"{_PREFIX}:{kind}:last", pk, lasts[kind, pk])
        try:
            pipe.execute()
        except redis.RedisError:
            logger.exception("Redis unavailable: %d download counts lost", sum(counts.values()))


_buffer = _ProcessBuffer()
atexit.register(_buffer.send)


def count_download(asset: Asset) -> None:
    ids = {kind: pk for kind, pk in (("asset", asset.pk), ("version", asset.version_id)) if pk}
    if redis_client() is None:
        now = time.time()
        _apply({kind: {pk: (1, now)} for kind, pk in ids.items()})
        return
    _buffer.add(ids)
    if settings.LARDER_DOWNLOAD_COUNT_SECONDS <= 0:
        _buffer.send()


def flush_download_counts() -> int:
    """Fold buffered counts into the database; returns how many rows were updated."""
    _buffer.send()
    client = redis_client()
    if client is None:
        return 0
    pending: dict[str, dict[int, tuple[int, float]]] = {}
    for kind in _TABLES:
        counts, lasts = (
            _take(client, f"{_PREFIX}:{kind}:count"),
            _take(client, f"{_PREFIX}:{kind}:last"),
        )
        pending[kind] = {
            int(pk): (int(n), float(lasts.get(pk, time.time()))) for pk, n in counts.items()
        }
    return _apply(pending)


def _take(client: redis.Redis, key: str) -> dict:
    """Atomically move a hash aside and read it, so increments during a flush are kept."""
    aside = f"{key}:flushing:{uuid.uuid4().hex}"
    try:
        client.rename(key, aside)
    except redis.ResponseError:  # no such key: nothing counted
        return {}
    values = {k.decode(): v.decode() for k, v in client.hgetall(aside).items()}
    client.delete(aside)
    return values


def _apply(pending: dict[str, dict[int, tuple[int, float]]]) -> int:
    updated = 0
    with transaction.atomic():
        for kind, rows in pending.items():
            model = _TABLES[kind]
            for pk, (count, last) in rows.items():
                updated += model.objects.filter(pk=pk).update(
                    download_count=F("download_count") + count,
                    last_downloaded=datetime.fromtimestamp(last, tz=UTC),
                )
    return updated
