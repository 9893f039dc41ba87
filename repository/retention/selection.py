"""What a policy selects, package by package, read in batches so memory stays bounded.

The preview and the run both call select_packages() on the rows as they are at that moment:
a run deletes exactly what a preview taken at the same instant would list. Packages are
walked in name order with a keyset cursor, a batch at a time (three queries per batch:
versions, tags, pins), so a repository of a million versions never sits in memory at once.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from repository.formats import get_format
from repository.models import Asset, Package, Repository, Tag, Version, VersionPin
from repository.retention.rules import Match, Rules, VersionRow

PACKAGES_PER_BATCH = 200
FIRST_BATCH = 4


@dataclass(frozen=True)
class PackageRef:
    pk: int
    name: str
    display_name: str


@dataclass
class FileRef:
    pk: int
    path: str
    blob: str | None
    size: int


@dataclass
class Item:
    """One version the policy selects, with its files (for eviction: the files to evict)."""

    repository: Repository
    package: PackageRef
    version_id: int
    version: str
    reason: str
    files: list[FileRef] = field(default_factory=list)
    reclaimed: int = 0

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


def package_batches(repository: Repository, start: str = "") -> Iterator[list[PackageRef]]:
    """The repository's packages in name order from `start`, a batch at a time.

    Batches start small and double up to PACKAGES_PER_BATCH, so a preview page that needs
    a few packages reads a few, and a whole walk soon reads them by the hundred.
    """
    packages = Package.objects.filter(repository=repository).order_by("name")
    batch, size = packages.filter(name__gte=start), FIRST_BATCH
    while rows := list(batch.values_list("pk", "name", "display_name")[:size]):
        yield [PackageRef(*row) for row in rows]
        batch, size = packages.filter(name__gt=rows[-1][1]), min(size * 2, PACKAGES_PER_BATCH)


def _protected(package_ids: list[int]) -> set[int]:
    """Versions a dist-tag points at or an admin pinned: no policy touches them."""
    tagged = Tag.objects.filter(package__in=package_ids).values_list("version_id", flat=True)
    pinned = VersionPin.objects.filter(version__package__in=package_ids).values_list(
        "version_id", flat=True
    )
    return set(tagged) | set(pinned)


def select_packages(
    rules: Rules, repository: Repository, packages: list[PackageRef], now: datetime
) -> list[Item]:
    """The items the rules select in these packages, package by package, newest first."""
    packages = [p for p in packages if rules.matches_name(p.name, p.display_name)]
    if not packages or (rules.evicts and repository.kind != Repository.Kind.PROXY):
        return []
    fmt = get_format(repository.format)
    ids = [package.pk for package in packages]
    rows = defaultdict(list)
    for pk, package_id, version, created, last_downloaded in Version.objects.filter(
        package__in=ids
    ).values_list("pk", "package_id", "version", "created", "last_downloaded"):
        rows[package_id].append(VersionRow(pk, version, created, last_downloaded))
    protected = _protected(ids)
    matches: list[tuple[PackageRef, Match]] = []
    for package in packages:
        for match in rules.select(fmt, rows[package.pk], protected, now):
            matches.append((package, match))
    items = [
        Item(repository, package, match.row.pk, match.row.version, match.reason)
        for package, match in matches
    ]
    _attach_files(rules, items, now)
    if not rules.evicts:
        return items
    idle = f"cached files not downloaded for {rules.cached_not_downloaded_days} days"
    for item in items:
        item.reason = f"{item.reason}; {idle}" if item.reason else idle
    return [item for item in items if item.files]


def _attach_files(rules: Rules, items: list[Item], now: datetime) -> None:
    """Each item's files: all of them for deletion; the idle cached ones for eviction."""
    by_version = {item.version_id: item for item in items}
    assets = Asset.objects.filter(version__in=list(by_version)).order_by("path")
    if rules.evicts:
        assets = assets.filter(blob__isnull=False)
    for pk, version_id, path, blob, size, last_downloaded, created in assets.values_list(
        "pk", "version_id", "path", "blob_id", "blob__size", "last_downloaded", "created"
    ):
        if rules.evicts and not rules.file_idle(last_downloaded, created, now):
            continue
        by_version[version_id].files.append(FileRef(pk, path, blob, size or 0))
