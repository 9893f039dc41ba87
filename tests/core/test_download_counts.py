"""Download counts reach the database: directly when embedded, via Redis in production."""

import pytest
import redis

from repository import counters
from repository.models import Asset, Repository
from repository.services.blobs import store_bytes
from repository.services.packages import add_asset, note_download
from tests.services import redis_url


@pytest.fixture
def asset(db):
    repository = Repository.objects.create(name="counted", format="generic")
    return add_asset(repository, "f", store_bytes(b"counted"), filename="f").asset


@pytest.fixture
def with_redis(settings):
    settings.REDIS_URL = redis_url(14)
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def test_it_counts_a_download_straight_into_the_database_when_embedded(asset, settings):
    settings.REDIS_URL = ""
    note_download(asset)
    asset.refresh_from_db()
    assert asset.download_count == 1
    assert asset.last_downloaded is not None


def test_it_buffers_downloads_in_redis_until_the_flush(asset, with_redis):
    note_download(asset)
    note_download(asset)
    assert Asset.objects.get(pk=asset.pk).download_count == 0
    assert counters.flush_download_counts() == 1
    asset.refresh_from_db()
    assert asset.download_count == 2
    assert asset.last_downloaded is not None


def test_it_keeps_nothing_buffered_after_a_flush(asset, with_redis):
    note_download(asset)
    counters.flush_download_counts()
    counters.flush_download_counts()
    assert Asset.objects.get(pk=asset.pk).download_count == 1
