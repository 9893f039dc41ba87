"""Download counts without a hot row.

Every download of a popular file updating the same row serialises the downloads behind
its lock and a commit. With Redis configured, downloads only increment Redis hashes and a
beat task folds them into the database each minute; retention's "last downloaded" is at
most that stale. Embedded (no Redis) the rows are updated directly.
"""

import time
import uuid
from datetime import UTC, datetime
from functools import cache

import redis
from django.conf import settings
from django.db import transaction
from django.db.models import F

from repository.models import Asset, Version

_PREFIX = "larder:downloads"
_TABLES = {"asset": Asset, "version": Version}


@cache
def _client() -> redis.Redis | None:
    return redis.Redis.from_url(settings.REDIS_URL) if settings.REDIS_URL else None


def count_download(asset: Asset) -> None:
    ids = {"asset": asset.pk, "version": asset.version_id}
    client = _client()
    if client is None:
        now = time.time()
        _apply({kind: {pk: (1, now)} for kind, pk in ids.items() if pk is not None})
        return
    pipe = client.pipeline(transaction=False)
    now = int(time.time())
    for kind, pk in ids.items():
        if pk is not None:
            pipe.hincrby(f"{_PREFIX}:{kind}:count", pk, 1)
            pipe.hset(f"{_PREFIX}:{kind}:last", pk, now)
    pipe.execute()


def flush_download_counts() -> int:
    """Fold buffered counts into the database; returns how many rows were updated."""
    client = _client()
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
