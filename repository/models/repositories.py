"""Repositories: the unit of URL, format, access and policy."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

REPOSITORY_NAME_RE = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class Repository(models.Model):
    class Kind(models.TextChoices):
        HOSTED = "hosted"
        PROXY = "proxy"
        GROUP = "group"

    class WritePolicy(models.TextChoices):
        ALLOW_REDEPLOY = "allow-redeploy"
        IMMUTABLE = "immutable"

    name = models.CharField(
        max_length=64,
        unique=True,
        validators=[RegexValidator(REPOSITORY_NAME_RE, "letters, digits, '.', '_' and '-'")],
    )
    format = models.CharField(max_length=32)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.HOSTED)
    description = models.TextField(blank=True)
    anonymous_read = models.BooleanField(
        default=True, help_text="Anyone may read and install without credentials."
    )
    write_policy = models.CharField(
        max_length=16, choices=WritePolicy.choices, default=WritePolicy.IMMUTABLE
    )
    quota_bytes = models.BigIntegerField(null=True, blank=True)
    # Format- and kind-specific settings (upstream, members, layout...), validated by the format.
    settings = models.JSONField(default=dict, blank=True)
    # Bumped when the set of packages changes; cached listings are keyed on it.
    generation = models.BigIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "repositories"
        constraints = [
            # URLs differing only in case would confuse people and clients alike.
            models.UniqueConstraint(Lower("name"), name="repository_unique_name_any_case"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def allows_redeploy(self) -> bool:
        return self.write_policy == self.WritePolicy.ALLOW_REDEPLOY
