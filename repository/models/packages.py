"""Packages, versions, assets and tags: the format-neutral component model."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from repository.models.blobs import Blob
from repository.models.repositories import Repository


class Package(models.Model):
    """A name inside a repository, stored normalized by the format's rule."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="packages")
    name = models.CharField(max_length=255)
    display_name = models.CharField(max_length=255)
    metadata = models.JSONField(default=dict, blank=True)
    # Bumped by every write to the package; cached documents are keyed on it.
    generation = models.BigIntegerField(default=0)
    # Set by whoever creates the row: a proxy's first answer names the time before the
    # row exists (auto_now_add would replace it).
    created = models.DateTimeField(default=timezone.now, editable=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "name"], name="package_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.repository.name}/{self.display_name}"


class Version(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=128)
    metadata = models.JSONField(default=dict, blank=True)
    yanked = models.BooleanField(default=False)
    yanked_reason = models.TextField(blank=True)
    deprecated = models.TextField(blank=True)
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # When it was published: now, or (a proxied version) when its upstream says it was.
    created = models.DateTimeField(default=timezone.now, editable=False)
    last_downloaded = models.DateTimeField(null=True, blank=True)
    download_count = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["package", "created"]
        constraints = [
            models.UniqueConstraint(fields=["package", "version"], name="version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.package.display_name} {self.version}"


class Asset(models.Model):
    """A file at a path unique within its repository, pointing at a blob.

    A proxy repository knows the files its upstream lists before it holds their bytes: such
    an asset has no blob yet, and `metadata["upstream"]` says where the file is and the
    digests and size the upstream published for it (checked when it is fetched).
    """

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="assets")
    path = models.CharField(max_length=1024)
    package = models.ForeignKey(
        Package, null=True, blank=True, on_delete=models.CASCADE, related_name="assets"
    )
    version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.CASCADE, related_name="assets"
    )
    # Empty only in proxy repositories, for a file not cached (or evicted by a retention
    # policy): its upstream serves it again on demand.
    blob = models.ForeignKey(
        Blob, null=True, blank=True, on_delete=models.PROTECT, related_name="assets"
    )
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=255, default="application/octet-stream")
    # Format facts about the file (filetype, requires-python, core-metadata digest, ...).
    metadata = models.JSONField(default=dict, blank=True)
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(default=timezone.now, editable=False)  # as Version's
    updated = models.DateTimeField(auto_now=True)
    last_downloaded = models.DateTimeField(null=True, blank=True)
    download_count = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["repository", "path"], name="asset_unique_path")
        ]

    def __str__(self) -> str:
        return f"{self.repository.name}/{self.path}"

    @property
    def upstream(self) -> dict:
        """Where a proxied file comes from: url, and the digests and size published for it."""
        return self.metadata.get("upstream", {})

    @property
    def cached(self) -> bool:
        """Whether the bytes are in the blob store (a proxied file may not be yet)."""
        return self.blob_id is not None

    @property
    def sha256(self) -> str | None:
        return self.blob_id or self.upstream.get("sha256")

    @property
    def size(self) -> int | None:
        return self.blob.size if self.blob_id else self.upstream.get("size")


class Tag(models.Model):
    """A named pointer to a version (npm dist-tags)."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=128)
    version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="tags")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["package", "name"], name="tag_unique")]

    def __str__(self) -> str:
        return f"{self.package.display_name}@{self.name}"


class Sidecar(models.Model):
    """A file derived from an asset and served beside it (PEP 658 core metadata, provenance).

    Holding the blob here (not in JSON) keeps garbage collection and retention honest: the
    bytes live exactly as long as the asset.
    """

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="sidecars")
    role = models.CharField(max_length=32)
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="sidecars")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["asset", "role"], name="sidecar_unique")]

    def __str__(self) -> str:
        return f"{self.asset} [{self.role}]"
