"""Blob GC racing a retention run and uploads, in threads on their own connections: no file
any asset, sidecar or trash entry references is ever deleted, and the orphans still go."""

import hashlib
import os
import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from repository.formats import get_format
from repository.models import Asset, Blob, Repository, TrashBlob, Version
from repository.retention.gc import collect_garbage
from repository.retention.policies import create_policy
from repository.retention.run import execute, queue_run
from repository.services.blobs import store_bytes
from repository.services.packages import add_asset, ensure_package, ensure_version
from repository.storage import blob_store

GRACE = 5  # seconds an upload's bytes are spared before their rows reference them
OLD = timedelta(days=2)


def _publish(repository, package: str, version: str, content: bytes):
    fmt = get_format(repository.format)
    package_row, _ = ensure_package(repository, fmt, package)
    version_row, _ = ensure_version(package_row, version)
    add_asset(
        repository,
        f"{package}/{version}/{package}-{version}.tgz",
        store_bytes(content),
        filename=f"{package}-{version}.tgz",
        package=package_row,
        version=version_row,
    )
    return version_row


def _age_everything() -> None:
    """Every row and stored file past the grace period, as after a quiet day."""
    then = timezone.now() - OLD
    Version.objects.update(created=then)
    Blob.objects.update(last_seen=then)
    store = blob_store()
    for sha256 in Blob.objects.values_list("sha256", flat=True):
        os.utime(store.local_path(sha256), (then.timestamp(), then.timestamp()))


def _in_thread(errors: list, work) -> threading.Thread:
    def target():
        try:
            work()
        except Exception as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=target)


@pytest.mark.django_db(transaction=True)
def test_gc_never_deletes_a_referenced_blob_while_a_run_and_uploads_go_on(make_repository):
    at_once = make_repository("at-once", "generic", trash_days=0)
    kept = make_repository("kept", "generic", trash_days=7)
    for repository in (at_once, kept):
        for package in range(4):
            for minor in range(6):
                _publish(
                    repository,
                    f"p{package}",
                    f"1.{minor}",
                    f"{repository.name} p{package} 1.{minor}".encode(),
                )
    _age_everything()
    policy = create_policy("race", repositories=[at_once, kept], keep_newest=1, older_than_days=1)
    # Uploads reuse the bytes of versions the run is deleting, and bring new ones; the
    # bytes of the other deleted versions of `at-once` (no trash) become orphans.
    reused = [
        f"at-once p{package} 1.{minor}".encode() for package in range(4) for minor in range(3)
    ]
    orphaned = [
        f"at-once p{package} 1.{minor}".encode() for package in range(4) for minor in (3, 4)
    ]

    errors: list = []

    def run():
        execute(queue_run(policy, trigger="cli"))

    def upload():
        for number, content in enumerate(reused):
            _publish(kept, "uploads", f"9.{number}", content)
            _publish(at_once, "fresh", f"9.{number}", b"new " + content)

    def collect():
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            collect_garbage(grace_seconds=GRACE)

    threads = [_in_thread(errors, work) for work in (run, upload, collect)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    collect_garbage(grace_seconds=GRACE)

    store = blob_store()
    referenced = set(Asset.objects.values_list("blob_id", flat=True))
    referenced |= set(TrashBlob.objects.values_list("blob_id", flat=True))
    assert referenced
    assert all(store.exists(sha256) for sha256 in referenced)
    assert set(Blob.objects.values_list("sha256", flat=True)) >= referenced
    # The run's deletions in the repository without trash left orphans, and GC took them.
    gone = [hashlib.sha256(content).hexdigest() for content in orphaned]
    assert not Blob.objects.filter(pk__in=gone).exists()
    assert not any(store.exists(sha256) for sha256 in gone)
    assert Repository.objects.get(name="at-once").trash.count() == 0
    assert Repository.objects.get(name="kept").trash.count() == 20
