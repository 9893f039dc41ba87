"""What the repository list and a repository's page show: counts, sizes, search results."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db.models import BigIntegerField, Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from repository.access.permissions import readable_repositories
from repository.formats import Format, get_format
from repository.models import Asset, Package, Repository, Version
from repository.ui.versions import pick_latest


def format_label(name: str) -> str:
    """The format's label; a repository of a format no longer installed still lists."""
    try:
        return get_format(name).label
    except LookupError:
        return name


def _per_repository(queryset: QuerySet, aggregate) -> Subquery:
    """One aggregate per repository as a subquery, so two of them never multiply rows."""
    grouped = queryset.filter(repository=OuterRef("pk")).order_by().values("repository")
    return Coalesce(
        Subquery(grouped.annotate(value=aggregate).values("value"), output_field=BigIntegerField()),
        0,
    )


def repository_rows(request: HttpRequest) -> list[Repository]:
    """The repositories this visitor may read, with their counts and stored size.

    Files that belong to no package (a flat generic repository's uploads) are counted
    apart: such a repository holds files, not "0 packages".
    """
    rows = list(
        readable_repositories(request)
        .annotate(
            package_count=_per_repository(Package.objects, Count("pk")),
            loose_file_count=_per_repository(Asset.objects.filter(package=None), Count("pk")),
            total_size=_per_repository(Asset.objects, Sum("blob__size")),
        )
        .order_by("name")
    )
    for repository in rows:
        repository.format_label = format_label(repository.format)
    return rows


def search_packages(packages: QuerySet, query: str) -> QuerySet:
    """Those of `packages` whose name or display name contains the query (any case)."""
    packages = packages.select_related("repository").order_by("name", "repository__name")
    if query:
        packages = packages.filter(Q(name__icontains=query) | Q(display_name__icontains=query))
    return packages


def loose_files(assets: QuerySet, query: str) -> QuerySet:
    """Those of `assets` that belong to no package (generic uploads), by path."""
    files = assets.filter(package__isnull=True).select_related("blob").order_by("path")
    if query:
        files = files.filter(path__icontains=query)
    return files


def attach_version_summaries(fmt: Format, packages: Iterable[Package]) -> None:
    """Set `latest_version`, `version_count` and `last_published` on each package.

    One query for the whole page. (Package.updated is not touched by publishes, so the
    newest version's creation time says when the package last changed.)
    """
    packages = list(packages)
    candidates: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    published: dict[int, datetime] = {}
    rows = Version.objects.filter(package__in=packages).values_list(
        "package_id", "version", "yanked", "created"
    )
    for package_id, version, yanked, created in rows:
        candidates[package_id].append((version, yanked))
        published[package_id] = max(created, published.get(package_id, created))
    for package in packages:
        package.latest_version = pick_latest(fmt, candidates[package.pk])
        package.version_count = len(candidates[package.pk])
        package.last_published = published.get(package.pk, package.created)
