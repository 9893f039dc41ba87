"""Daily storage figures per repository, so the dashboard can draw growth over 30 days."""

from django.db import models

from repository.models.repositories import Repository


class StorageSnapshot(models.Model):
    """What a repository held on a day (taken once a day by a beat task)."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="snapshots")
    day = models.DateField()
    stored_bytes = models.BigIntegerField()
    unique_bytes = models.BigIntegerField()
    trash_bytes = models.BigIntegerField()
    packages = models.BigIntegerField()
    versions = models.BigIntegerField()
    files = models.BigIntegerField()
    taken = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["repository", "day"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "day"], name="snapshot_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.repository_id} {self.day}"
