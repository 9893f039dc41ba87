"""Content-addressed blobs: one row per distinct byte string, however many assets use it."""

from django.db import models


class Blob(models.Model):
    """Immutable bytes stored under their sha256; digests are computed once, while streaming."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField()
    md5 = models.CharField(max_length=32)
    sha1 = models.CharField(max_length=40)
    sha512 = models.CharField(max_length=128)
    blake2b_256 = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    # Refreshed whenever the bytes are uploaded again: GC spares blobs seen within its grace
    # period, so an upload that reuses an orphaned blob never loses it mid-flight.
    last_seen = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} bytes)"
