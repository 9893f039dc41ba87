"""Rendered index documents, kept so hot reads cost one lookup instead of a version scan."""

from django.db import models

from repository.models.packages import Package
from repository.models.repositories import Repository


class RenderedDocument(models.Model):
    """A format's document (index page, packument) as stored, with its ETag.

    `validity` names the data it was rendered from: the generation of its package (or
    repository, for listings), or the generations of every repository it combines. A write
    bumps a generation, so a document rendered from data read before the write committed
    never matches again. `expires` ends it by time too (a proxy's metadata TTL).
    """

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE)
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.CASCADE)
    key = models.CharField(max_length=64)
    content_type = models.CharField(max_length=128)
    validity = models.CharField(max_length=64)
    expires = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=80)
    body = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "package", "key"], name="document_unique_key"
            ),
            models.UniqueConstraint(
                fields=["repository", "key"],
                condition=models.Q(package__isnull=True),
                name="document_unique_repository_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.repository_id}/{self.package_id or '-'}/{self.key}"
