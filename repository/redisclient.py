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
    a thread needs none of them for one command at a time. A connection whose exchange
    failed or was interrupted is dropped (an OSError is raised as redis.ConnectionError).
    A kept connection that fails to connect or send (Redis restarted since) is replaced
    at once, once: only a new connection's failure says Redis is unavailable.
    """
    owner = (os.getpid(), id(client))  # a forked child or another URL: a new connection
    kept = _thread.connection is not None and _thread.owner == owner
    try:
        return _mget(_connection(client, owner), keys)
    except redis.ConnectionError:
        if not kept:
            raise
        return _mget(_connection(client, owner), keys)


def _connection(client: redis.Redis, owner: tuple[int, int]) -> redis.connection.AbstractConnection:
    if _thread.connection is None or _thread.owner != owner:
        pool = client.connection_pool
        _thread.connection = pool.connection_class(**pool.connection_kwargs)
        _thread.owner = owner
    return _thread.connection


def _mget(connection: redis.connection.AbstractConnection, keys: tuple[str, ...]) -> list:
    try:
        connection.send_command("MGET", *keys)
        return connection.read_response()
    except BaseException as exc:
        # Whatever broke the exchange may have left a reply unread, which the next MGET
        # would take for its own: the connection is never used again.
        connection.disconnect()
        _thread.connection = None
        if isinstance(exc, OSError):
            raise redis.ConnectionError(str(exc)) from exc
        raise
