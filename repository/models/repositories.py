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

    class RedeployPolicy(models.TextChoices):
        """May a published file be overwritten with other bytes?"""

        ALLOWED = "allowed"
        FORBIDDEN = "forbidden"

    class DeletePolicy(models.TextChoices):
        """Who may delete published files and versions (npm unpublish, DELETE, the API).

        `deployers` is what repositories made before the split allowed their publishers;
        retention policies delete whatever the policy says.
        """

        ALLOWED = "allowed", "users with the delete right"
        DEPLOYERS = "deployers", "anyone who may publish"
        FORBIDDEN = "forbidden", "nobody (only retention policies)"

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
    redeploy_policy = models.CharField(
        max_length=16, choices=RedeployPolicy.choices, default=RedeployPolicy.FORBIDDEN
    )
    delete_policy = models.CharField(
        max_length=16, choices=DeletePolicy.choices, default=DeletePolicy.ALLOWED
    )
    # Days deleted versions and files stay restorable; 0 deletes them at once.
    trash_days = models.PositiveIntegerField(default=7)
    quota_bytes = models.BigIntegerField(null=True, blank=True)
    # Past this many stored bytes the UI warns and a metric says so; uploads still pass.
    soft_quota_bytes = models.BigIntegerField(null=True, blank=True)
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
        return self.redeploy_policy == self.RedeployPolicy.ALLOWED
