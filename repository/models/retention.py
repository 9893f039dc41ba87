"""Cleanup policies, their runs, and the pins that protect versions from them."""

from django.conf import settings
from django.db import models

from repository.models.packages import Version
from repository.models.repositories import Repository


class RetentionPolicy(models.Model):
    """Rules that select versions to delete (or cached files to evict) in its repositories.

    Every rule is optional; a version is selected only when all the rules set match it.
    """

    class Releases(models.TextChoices):
        ANY = "any", "releases and prereleases"
        PRERELEASES = "prereleases", "prereleases only"
        RELEASES = "releases", "releases only"

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    repositories = models.ManyToManyField(Repository, blank=True, related_name="retention_policies")
    keep_newest = models.PositiveIntegerField(
        null=True, blank=True, help_text="Spare the newest N versions of each package."
    )
    older_than_days = models.PositiveIntegerField(null=True, blank=True)
    not_downloaded_days = models.PositiveIntegerField(null=True, blank=True)
    releases = models.CharField(max_length=16, choices=Releases.choices, default=Releases.ANY)
    name_glob = models.CharField(max_length=255, blank=True)
    # Proxy repositories: evict cached files not downloaded for this many days (the
    # version stays listed; the file is fetched from the upstream again on demand).
    cached_not_downloaded_days = models.PositiveIntegerField(null=True, blank=True)
    delete_last_version = models.BooleanField(
        default=False, help_text="May delete a package's last remaining version."
    )
    # A crontab line ("30 3 * * *"); empty: runs only when started by hand.
    schedule = models.CharField(max_length=100, blank=True)
    enabled = models.BooleanField(default=True, help_text="Run on the schedule.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "retention policies"

    def __str__(self) -> str:
        return self.name

    @property
    def evicts(self) -> bool:
        """Whether a run evicts cached files instead of deleting versions."""
        return self.cached_not_downloaded_days is not None


class PolicyRun(models.Model):
    """One run (or dry run) of a policy: when, by whom, what it removed, what failed."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        FINISHED = "finished"
        FAILED = "failed"

    policy = models.ForeignKey(RetentionPolicy, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=16)  # schedule, ui, api, cli
    dry_run = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    # Refreshed while a run works; a run silent for long has died and may be taken over.
    heartbeat = models.DateTimeField(null=True, blank=True)
    packages_done = models.BigIntegerField(default=0)
    packages_total = models.BigIntegerField(default=0)
    versions_deleted = models.BigIntegerField(default=0)
    files_deleted = models.BigIntegerField(default=0)
    files_evicted = models.BigIntegerField(default=0)
    bytes_reclaimed = models.BigIntegerField(default=0)
    error_count = models.IntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy"],
                condition=models.Q(status="running"),
                name="one_running_run_per_policy",
            )
        ]

    def __str__(self) -> str:
        return f"{self.policy} run {self.pk} ({self.status})"


class VersionPin(models.Model):
    """A version an admin chose to keep: no policy deletes or evicts it."""

    version = models.OneToOneField(Version, on_delete=models.CASCADE, related_name="pin")
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    reason = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"pin on {self.version_id}"
