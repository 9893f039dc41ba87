"""The trash: deleted versions and files, kept restorable for the repository's trash days.

An entry holds a JSON snapshot of what was deleted (the version, its files, their sidecars,
the tags that pointed at it) while the live rows are gone, so no read path knows about the
trash. Its TrashBlob rows keep the bytes referenced: blob GC spares them until the purge.
"""

from django.conf import settings
from django.db import models

from repository.models.blobs import Blob
from repository.models.repositories import Repository


class TrashEntry(models.Model):
    class Kind(models.TextChoices):
        VERSION = "version"  # a version with all its files
        FILE = "file"  # one file (of a version that kept others, or of no package)

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="trash")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    package_name = models.CharField(max_length=255, blank=True)
    display_name = models.CharField(max_length=255, blank=True)
    version = models.CharField(max_length=128, blank=True)
    path = models.CharField(max_length=1024, blank=True)
    snapshot = models.JSONField()
    size = models.BigIntegerField(default=0)
    trashed = models.DateTimeField(auto_now_add=True, db_index=True)
    purge_after = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Why it went: "policy <name>", "npm unpublish", "DELETE"...
    reason = models.CharField(max_length=255, blank=True)
    run = models.ForeignKey(
        "repository.PolicyRun", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-trashed", "-pk"]
        verbose_name_plural = "trash entries"
        indexes = [models.Index(fields=["repository", "package_name", "version"])]

    def __str__(self) -> str:
        what = f"{self.display_name} {self.version}".strip() or self.path
        return f"{self.repository_id}: {what}"


class TrashBlob(models.Model):
    """Keeps a trashed file's bytes (and its sidecars') referenced until the purge."""

    entry = models.ForeignKey(TrashEntry, on_delete=models.CASCADE, related_name="blobs")
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="trash_references")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "blob"], name="trash_blob_unique")]

    def __str__(self) -> str:
        return f"{self.entry_id} keeps {self.blob_id[:12]}"
