"""Storage figures per repository: what it holds, what dedup saves, what waits in the trash.

Stored bytes add up every file's size (what quotas measure); unique bytes count each of
its files' blobs once (what dedup leaves, before sharing with other repositories). A daily
snapshot keeps them, so growth per day over 30 days is a subtraction, not a scan of history.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Sum
from django.utils import timezone

from repository.models import (
    Asset,
    Blob,
    Package,
    Repository,
    StorageSnapshot,
    TrashEntry,
    Version,
)

GROWTH_DAYS = 30


@dataclass
class Figures:
    repository: Repository
    stored_bytes: int = 0
    unique_bytes: int = 0
    trash_bytes: int = 0
    packages: int = 0
    versions: int = 0
    files: int = 0
    history: list[tuple[date, int]] = field(default_factory=list)

    @property
    def growth_per_day(self) -> float | None:
        """Stored bytes gained per day over the snapshots of the last 30 days."""
        if len(self.history) < 2:
            return None
        (first_day, first), (last_day, last) = self.history[0], self.history[-1]
        return (last - first) / max((last_day - first_day).days, 1)

    @property
    def over_soft_quota(self) -> bool:
        soft = self.repository.soft_quota_bytes
        return soft is not None and self.stored_bytes >= soft

    @property
    def quota_share(self) -> float | None:
        """Stored bytes as a share of the hard quota (or the soft one when alone)."""
        limit = self.repository.quota_bytes or self.repository.soft_quota_bytes
        return self.stored_bytes / limit if limit else None


def _grouped(queryset, key: str, value) -> dict[int, int]:
    rows = queryset.order_by().values(key).annotate(value=value).values_list(key, "value")
    return {pk: total or 0 for pk, total in rows}


def stored_bytes(repository: Repository) -> int:
    total = Asset.objects.filter(repository=repository).aggregate(total=Sum("blob__size"))
    return total["total"] or 0


def unique_bytes(repository: Repository) -> int:
    held = Blob.objects.filter(assets__repository=repository)
    total = Blob.objects.filter(pk__in=held.values("pk")).aggregate(total=Sum("size"))
    return total["total"] or 0


def figures(repositories: list[Repository], with_history: bool = True) -> list[Figures]:
    """Figures for each repository: one grouped query per figure, whatever their number."""
    ids = [repository.pk for repository in repositories]
    assets = Asset.objects.filter(repository__in=ids)
    stored = _grouped(assets, "repository", Sum("blob__size"))
    files = _grouped(assets, "repository", Count("pk"))
    packages = _grouped(Package.objects.filter(repository__in=ids), "repository", Count("pk"))
    versions = _grouped(
        Version.objects.filter(package__repository__in=ids), "package__repository", Count("pk")
    )
    trash = _grouped(TrashEntry.objects.filter(repository__in=ids), "repository", Sum("size"))
    history = growth_history(ids) if with_history else {}
    return [
        Figures(
            repository,
            stored_bytes=stored.get(repository.pk, 0),
            unique_bytes=unique_bytes(repository),
            trash_bytes=trash.get(repository.pk, 0),
            packages=packages.get(repository.pk, 0),
            versions=versions.get(repository.pk, 0),
            files=files.get(repository.pk, 0),
            history=history.get(repository.pk, []),
        )
        for repository in repositories
    ]


def growth_history(repository_ids: list[int]) -> dict[int, list[tuple[date, int]]]:
    since = timezone.now().date() - timedelta(days=GROWTH_DAYS)
    history: dict[int, list[tuple[date, int]]] = {pk: [] for pk in repository_ids}
    snapshots = StorageSnapshot.objects.filter(repository__in=repository_ids, day__gte=since)
    for pk, day, stored in snapshots.order_by("day").values_list(
        "repository_id", "day", "stored_bytes"
    ):
        history[pk].append((day, stored))
    return history


def take_snapshots(day: date | None = None) -> int:
    """Today's figures of every repository (taken again the same day, they are replaced)."""
    day = day or timezone.now().date()
    repositories = list(Repository.objects.order_by("name"))
    for found in figures(repositories, with_history=False):
        StorageSnapshot.objects.update_or_create(
            repository=found.repository,
            day=day,
            defaults={
                "stored_bytes": found.stored_bytes,
                "unique_bytes": found.unique_bytes,
                "trash_bytes": found.trash_bytes,
                "packages": found.packages,
                "versions": found.versions,
                "files": found.files,
            },
        )
    return len(repositories)
