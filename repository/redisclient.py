"""The one Redis client of a process, when Redis is configured (production)."""

from functools import cache

import redis
from django.conf import settings


@cache
def _client_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def redis_client() -> redis.Redis | None:
    """None when embedded: callers fall back to what the data directory offers."""
    return _client_for(settings.REDIS_URL) if settings.REDIS_URL else None
