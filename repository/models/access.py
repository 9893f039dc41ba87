"""Grants and API tokens. Roles are ordered: each includes the ones below it."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone

from repository.models.repositories import Repository


class Role(models.TextChoices):
    READER = "reader"
    DEPLOYER = "deployer"
    MAINTAINER = "maintainer"
    ADMIN = "admin"


# reader: installs and downloads. deployer: also publishes, and moves the dist-tags of what it
# published. maintainer: also deletes, unpublishes, yanks, deprecates, moves any dist-tag.
# admin: also changes the repository's settings and grants.
ROLE_RANK = {Role.READER: 1, Role.DEPLOYER: 2, Role.MAINTAINER: 3, Role.ADMIN: 4}


class RepositoryRole(models.Model):
    """Grants a role to a user or a group, on one repository or (repository empty) on all."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE)
    repository = models.ForeignKey(
        Repository, null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) ^ models.Q(group__isnull=False),
                name="role_has_one_subject",
            )
        ]

    def __str__(self) -> str:
        subject = self.user or self.group
        return f"{subject} {self.role} on {self.repository or 'all repositories'}"


class ApiToken(models.Model):
    """A bearer credential. Only its sha256 is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=128, blank=True)
    prefix = models.CharField(max_length=16, help_text="First characters, to recognise a token.")
    token_hash = models.CharField(max_length=64, unique=True)
    readonly = models.BooleanField(default=False)
    # Empty means every repository the user can reach.
    repositories = models.ManyToManyField(Repository, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True)
    last_used = models.DateTimeField(null=True, blank=True)
    last_used_addr = models.GenericIPAddressField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked is None and (self.expires is None or self.expires > now)


class ExternalIdentity(models.Model):
    """Where a user signs in from, when not with a local password: the directory (LDAP) or
    an OpenID provider (OIDC, by its stable `sub` claim). Tokens of a directory user stop
    working once the directory no longer lets them in (repository/access/directory.py)."""

    class Source(models.TextChoices):
        LDAP = "ldap"
        OIDC = "oidc"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identity"
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    subject = models.CharField(max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "subject"],
                condition=~models.Q(subject=""),
                name="external_identity_unique_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} via {self.source}"
