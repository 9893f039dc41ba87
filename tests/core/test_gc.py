"""Garbage collection frees bytes nothing references, and spares everything else."""

import os
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from repository.models import Blob, Repository
from repository.retention.gc import collect_garbage
from repository.services.blobs import store_bytes
from repository.services.packages import add_asset, attach_sidecar
from repository.storage import blob_store


def age(blob: Blob, days: int = 2) -> None:
    """As if the blob had last been uploaded `days` ago: its row and its bytes."""
    then = timezone.now() - timedelta(days=days)
    Blob.objects.filter(pk=blob.pk).update(last_seen=then)
    os.utime(blob_store().local_path(blob.sha256), (then.timestamp(), then.timestamp()))


@pytest.fixture
def repository(db):
    return Repository.objects.create(name="gc", format="generic")


def test_it_deletes_an_old_unreferenced_blob_and_its_bytes(repository):
    orphan = store_bytes(b"nobody uses me")
    age(orphan)
    report = collect_garbage(grace_seconds=3600)
    assert not Blob.objects.filter(pk=orphan.pk).exists()
    assert not blob_store().exists(orphan.sha256)
    assert report.bytes_freed == len(b"nobody uses me")


def test_it_keeps_blobs_that_assets_reference(repository):
    used = store_bytes(b"in use")
    add_asset(repository, "used", used, filename="used")
    age(used)
    collect_garbage(grace_seconds=3600)
    assert blob_store().exists(used.sha256)


def test_it_spares_unreferenced_blobs_within_the_grace_period(repository):
    fresh = store_bytes(b"upload in flight")
    collect_garbage(grace_seconds=3600)
    assert blob_store().exists(fresh.sha256)


def test_it_changes_nothing_on_a_dry_run(repository):
    orphan = store_bytes(b"dry run orphan")
    age(orphan)
    report = collect_garbage(grace_seconds=3600, dry_run=True)
    assert report.rows_deleted == 1
    assert blob_store().exists(orphan.sha256)


def test_it_keeps_sidecar_blobs_as_long_as_their_asset(repository):
    wheel = add_asset(repository, "w.whl", store_bytes(b"wheel"), filename="w.whl").asset
    metadata = store_bytes(b"Metadata-Version: 2.1")
    attach_sidecar(wheel, "core-metadata", metadata)
    age(metadata)
    collect_garbage(grace_seconds=3600)
    assert blob_store().exists(metadata.sha256)


def test_it_spares_bytes_an_upload_has_just_written_again(repository):
    orphan = store_bytes(b"reused right now")
    age(orphan)
    store_bytes(b"reused right now")  # the same bytes arrive in a new upload
    collect_garbage(grace_seconds=3600)
    assert Blob.objects.filter(pk=orphan.pk).exists()
    assert blob_store().exists(orphan.sha256)


def test_it_deletes_old_bytes_that_no_row_names_a_batch_at_a_time(repository, monkeypatch):
    """Bytes left by a crash between writing them and recording them; some stay named."""
    monkeypatch.setattr("repository.retention.gc.KEYS_PER_QUERY", 2)
    kept = [store_bytes(f"named {i}".encode()) for i in range(3)]
    for blob in kept:
        add_asset(repository, blob.sha256, blob, filename=blob.sha256)
    lost = [store_bytes(f"lost {i}".encode()) for i in range(4)]
    for blob in kept + lost:
        age(blob)
    Blob.objects.filter(pk__in=[blob.pk for blob in lost]).delete()
    with CaptureQueriesContext(connection) as queries:
        report = collect_garbage(grace_seconds=3600)
    assert report.files_deleted == 4
    lookups = [re.search(r'"sha256" IN \(([^)]*)\)', q["sql"]) for q in queries]
    batches = [match.group(1).split(",") for match in lookups if match]
    assert len(batches) >= 4  # at least these 7 old keys, 2 per query
    assert max(len(batch) for batch in batches) <= 2
    assert all(blob_store().exists(blob.sha256) for blob in kept)
    assert not any(blob_store().exists(blob.sha256) for blob in lost)
