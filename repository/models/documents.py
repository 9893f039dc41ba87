"""Rendered index documents, kept so hot reads cost one lookup instead of a version scan."""

from django.db import models

from repository.models.packages import Package
from repository.models.repositories import Repository


class RenderedDocument(models.Model):
    """A format's document (index page, packument) as served, with its ETag.

    Each row records the generation of its package (or repository, for listings) it was
    rendered from. A write bumps the generation, so a document rendered from data read
    before the write committed can never be served after it.
    """

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE)
    package = models.ForeignKey(Package, null=True, blank=True, on_delete=models.CASCADE)
    key = models.CharField(max_length=64)
    content_type = models.CharField(max_length=128)
    generation = models.BigIntegerField()
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
