"""Blob garbage collection: remove bytes no asset, sidecar or trash entry references.

Uploads write bytes first and reference them in a later transaction, so nothing younger
than the grace period is touched: an in-flight upload's blob is always spared.
"""

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from repository.models import Blob
from repository.storage import blob_store

log = logging.getLogger(__name__)

# Stored keys checked against the database in one query (SQLite before 3.32 allowed 999).
KEYS_PER_QUERY = 900


@dataclass
class GcReport:
    rows_deleted: int = 0
    files_deleted: int = 0
    bytes_freed: int = 0


def collect_garbage(grace_seconds: int | None = None, dry_run: bool = False) -> GcReport:
    """Delete unreferenced Blob rows, then stored bytes with no row, both past the grace."""
    grace = settings.LARDER_GC_GRACE_SECONDS if grace_seconds is None else grace_seconds
    cutoff = timezone.now() - timedelta(seconds=grace)
    report = GcReport()
    unreferenced = {
        "assets__isnull": True,
        "sidecars__isnull": True,
        "trash_references__isnull": True,  # restorable from the trash until purged
        "last_seen__lt": cutoff,
    }
    orphans = Blob.objects.filter(**unreferenced)
    store = blob_store()
    for blob in orphans.iterator():
        if not dry_run and not _delete_row(blob, unreferenced):
            continue
        report.rows_deleted += 1
        report.bytes_freed += blob.size
        if not dry_run and store.delete_if_unwritten_since(blob.sha256, cutoff.timestamp()):
            report.files_deleted += 1
    # Rows of blobs whose bytes an upload just wrote again are recreated by that upload.
    oldest_allowed = time.time() - grace
    for sha256 in _stored_without_row(store, oldest_allowed):
        if dry_run or store.delete_if_unwritten_since(sha256, oldest_allowed):
            report.files_deleted += 1
    log.info("blob gc: %s", report)
    return report


def _stored_without_row(store, oldest_allowed: float) -> Iterator[str]:
    """Stored bytes older than `oldest_allowed` that no Blob row names, looked up a batch
    of keys at a time: memory stays flat however many blobs the store holds."""
    keys = iter(store.keys())
    while batch := list(islice(keys, KEYS_PER_QUERY)):
        old = {sha256 for sha256, mtime in batch if mtime < oldest_allowed}
        known = Blob.objects.filter(sha256__in=old).values_list("sha256", flat=True)
        yield from old.difference(known)


def _delete_row(blob: Blob, unreferenced: dict) -> bool:
    """Delete the row if it is still unreferenced; an upload may have taken it meanwhile
    (seen by Django's check, or, between that check and the delete, by the database's
    foreign key: both leave the row)."""
    try:
        with transaction.atomic():
            deleted, _ = Blob.objects.filter(pk=blob.pk, **unreferenced).delete()
    except (ProtectedError, IntegrityError):
        return False
    return bool(deleted)
