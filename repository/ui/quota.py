"""The soft quota's banner: shown on the repository's page once its files pass it."""

from dataclasses import dataclass

from repository.models import Repository
from repository.retention.figures import stored_bytes


@dataclass
class QuotaWarning:
    stored: int
    soft: int
    hard: int | None


def quota_warning(repository: Repository) -> QuotaWarning | None:
    """None below the soft quota (or with none set): then no sum is computed at all."""
    if repository.soft_quota_bytes is None:
        return None
    stored = stored_bytes(repository)
    if stored < repository.soft_quota_bytes:
        return None
    return QuotaWarning(stored, repository.soft_quota_bytes, repository.quota_bytes)
