"""A folder's entries, found by path prefix in the database, never by walking the repository.

Files directly in the folder come from one query, child folders (with their file count,
size and last change) from one GROUP BY on the first segment after the prefix. A prefix
match is `LIKE 'prefix%'` (index-friendly) plus an exact comparison of the leading
characters, because SQLite's LIKE ignores case.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, QuerySet, Sum, Value
from django.db.models.functions import Left, StrIndex, Substr

from formats.generic.paths import RepoPath
from repository.models import Asset, Repository


@dataclass(frozen=True)
class FolderEntry:
    name: str
    path: str  # with its trailing slash
    files: int
    size: int
    modified: datetime


@dataclass(frozen=True)
class Listing:
    folder: RepoPath
    folders: list[FolderEntry]
    files: list[Asset]

    @property
    def empty(self) -> bool:
        return not self.folders and not self.files


def _below(repository: Repository, prefix: str) -> QuerySet:
    """Assets below the prefix, annotated with `rest`: their path after it."""
    assets = Asset.objects.filter(repository=repository)
    if prefix:
        assets = (
            assets.filter(path__startswith=prefix)
            .annotate(head=Left("path", len(prefix)))
            .filter(head=prefix)
        )
    return assets.annotate(rest=Substr("path", len(prefix) + 1))


def _files(repository: Repository, prefix: str) -> list[Asset]:
    below = _below(repository, prefix).annotate(slash=StrIndex("rest", Value("/")))
    return list(below.filter(slash=0).select_related("blob").order_by("path"))


def _folders(repository: Repository, prefix: str) -> list[FolderEntry]:
    below = _below(repository, prefix).annotate(slash=StrIndex("rest", Value("/")))
    rows = (
        below.filter(slash__gt=0)
        .annotate(child=Substr("rest", 1, F("slash") - 1))
        .values("child")
        .annotate(files=Count("pk"), size=Sum("blob__size"), modified=Max("updated"))
        .order_by("child")
    )
    return [
        FolderEntry(
            name=row["child"],
            path=f"{prefix}{row['child']}/",
            files=row["files"],
            size=row["size"] or 0,
            modified=row["modified"],
        )
        for row in rows
    ]


def list_folder(repository: Repository, folder: RepoPath) -> Listing:
    return Listing(
        folder=folder,
        folders=_folders(repository, folder.prefix),
        files=_files(repository, folder.prefix),
    )
