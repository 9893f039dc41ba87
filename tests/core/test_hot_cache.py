"""Web processes keep repository and file rows between requests, yet never serve a stale one.

The suite runs with Redis (tests/conftest.py), as production does; these tests pin what
the rest of it relies on: a warm read costs no query, and every kind of change is seen by
the very next read, including changes Redis never heard of once an entry expires.
"""

import time

import pytest
import redis

from repository.cache import stamps
from repository.models import Asset, Repository
from repository.redisclient import redis_client
from repository.services.blobs import store_bytes
from repository.services.packages import add_asset, delete_asset
from repository.services.repositories import delete_repository, update_repository
from tests.conftest import PASSWORD, basic_auth

URL = "/repository/hot/dist/app.txt"


@pytest.fixture
def repo(make_repository):
    return make_repository("hot", "generic", redeploy_policy="allowed")


@pytest.fixture
def stored(repo):
    return add_asset(repo, "dist/app.txt", store_bytes(b"one"), filename="app.txt").asset


def body(client, url: str = URL) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.getvalue()


def test_a_warm_download_reads_no_database_row(stored, client, django_assert_num_queries):
    body(client)
    with django_assert_num_queries(0):
        assert body(client) == b"one"


def test_a_change_to_other_files_keeps_the_repository_row(
    repo, stored, client, django_assert_num_queries
):
    """A proxy fills one file after another, each a content change: the next read of an
    unchanged file reads the file's row again, but not the repository's."""
    body(client)
    add_asset(repo, "dist/other.txt", store_bytes(b"other"), filename="other.txt")
    with django_assert_num_queries(1):
        assert body(client) == b"one"


def test_a_replaced_file_is_served_new_on_the_next_read(repo, stored, client):
    body(client)
    add_asset(repo, "dist/app.txt", store_bytes(b"two"), filename="app.txt")
    assert body(client) == b"two"


def test_a_deleted_file_is_gone_on_the_next_read(stored, client):
    body(client)
    delete_asset(stored)
    assert client.get(URL).status_code == 404


def test_a_new_file_is_found_after_a_miss(repo, client):
    assert client.get(URL).status_code == 404
    add_asset(repo, "dist/app.txt", store_bytes(b"new"), filename="app.txt")
    assert body(client) == b"new"


def test_a_repository_made_private_refuses_the_next_anonymous_read(repo, stored, client):
    body(client)
    update_repository(repo, private=True)
    assert client.get(URL).status_code == 401


def test_a_deleted_repository_is_gone_on_the_next_read(repo, stored, client):
    body(client)
    delete_repository(repo)
    assert client.get(URL).status_code == 404


def test_a_redis_restart_cannot_bring_back_an_old_stamp(stored, client):
    body(client)
    Asset.objects.filter(pk=stored.pk).delete()  # behind the cache's back
    redis_client().flushdb()
    assert client.get(URL).status_code == 404


def test_entries_expire_even_if_redis_missed_a_change(stored, client, settings):
    settings.LARDER_HOT_CACHE_SECONDS = 0
    body(client)
    Asset.objects.filter(pk=stored.pk).delete()  # behind the cache's back
    assert client.get(URL).status_code == 404


def test_it_reads_the_database_when_redis_is_down(stored, client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert body(client) == b"one"
    Repository.objects.filter(pk=stored.repository_id).update(anonymous_read=False)
    assert client.get(URL).status_code == 401


def test_it_warns_once_while_redis_is_down_and_uses_it_again_when_back(
    stored, client, settings, caplog, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(stamps, "REDIS_RETRY_SECONDS", 0.2)
    working = settings.REDIS_URL
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    for _ in range(3):
        assert body(client) == b"one"
    warnings = [r for r in caplog.records if r.name == "repository.cache.stamps"]
    assert [r.getMessage() for r in warnings] == [
        "Redis unavailable: reading repository rows from the database for 0.2 s"
    ]
    settings.REDIS_URL = working
    time.sleep(0.3)
    body(client)
    with django_assert_num_queries(0):
        assert body(client) == b"one"


def test_writes_never_use_kept_rows(maintainer, repo, stored, client):
    body(client)
    Asset.objects.filter(pk=stored.pk).delete()  # behind the cache's back
    auth = basic_auth("maintainer", PASSWORD)
    assert client.delete(URL, HTTP_AUTHORIZATION=auth).status_code == 404


def test_connections_redis_dropped_are_replaced_without_an_error(
    stored, client, settings, caplog, django_assert_num_queries
):
    """After a Redis restart every kept connection is dead: the next reads still work."""
    body(client)
    killer = redis.Redis.from_url(settings.REDIS_URL)
    killer.client_kill_filter(_type="normal")  # every connection but its own
    killer.close()
    with django_assert_num_queries(0):
        assert body(client) == b"one"
    assert not [r for r in caplog.records if r.name == "repository.cache.stamps"]
