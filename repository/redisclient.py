"""The one Redis connection pool of a process, when Redis is configured (production)."""

import os
import threading
from functools import cache

import redis
from django.conf import settings


@cache
def _client_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def redis_client() -> redis.Redis | None:
    """None when embedded: callers fall back to the database."""
    return _client_for(settings.REDIS_URL) if settings.REDIS_URL else None


class _ThreadConnection(threading.local):
    connection: redis.connection.AbstractConnection | None = None
    owner: tuple[int, int] | None = None


_thread = _ThreadConnection()


def mget_quickly(client: redis.Redis, keys: tuple[str, ...]) -> list[bytes | None]:
    """MGET on a connection of this thread's own, made from the client's pool settings.

    Every warm read makes this one round trip. Through the client it costs about three
    times the CPU (the pool, retries and instrumentation redis-py wraps each command in);
    a thread needs none of them for one command at a time. A failed connection is dropped
    and the error raised (a redis.RedisError), so the next call connects afresh.
    """
    owner = (os.getpid(), id(client))  # a forked child or another URL: a new connection
    if _thread.connection is None or _thread.owner != owner:
        _thread.connection = client.connection_pool.make_connection()
        _thread.owner = owner
    connection = _thread.connection
    try:
        connection.send_command("MGET", *keys)
        return connection.read_response()
    except (redis.RedisError, OSError) as exc:
        connection.disconnect()
        _thread.connection = None
        if isinstance(exc, redis.RedisError):
            raise
        raise redis.ConnectionError(str(exc)) from exc
