"""A folder's entries, found by path prefix in the database, never by walking the repository.

Files directly in the folder come from one query, child folders (with their file count,
size and last change) from one GROUP BY on the first segment after the prefix. Both read
only the rows below the prefix, through an index: on Postgres `LIKE 'prefix%'` (this
app's migration adds a pattern index), on SQLite a range, because SQLite's LIKE ignores
case and its binary ordering makes the range exact.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import StrIndex, Substr

from formats.generic.paths import RepoPath
from repository.models import Asset


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


def _starts_with(prefix: str) -> Q:
    """Paths starting with the folder prefix (which ends in '/'), exactly and index-friendly."""
    if connection.vendor == "sqlite":
        # Everything starting with "a/b/" sorts from "a/b/" up to "a/b0" ('0' follows '/').
        return Q(path__gte=prefix, path__lt=prefix[:-1] + "0")
    return Q(path__startswith=prefix)


def _below(assets: QuerySet[Asset], prefix: str) -> QuerySet:
    """Assets below the prefix, annotated with `rest` (their path after it) and `slash`
    (where the first '/' in `rest` is: 0 for files directly in the folder)."""
    if prefix:
        assets = assets.filter(_starts_with(prefix))
    return assets.annotate(rest=Substr("path", len(prefix) + 1), slash=StrIndex("rest", Value("/")))


def _files(assets: QuerySet[Asset], prefix: str) -> list[Asset]:
    below = _below(assets, prefix).filter(slash=0)
    return list(below.select_related("blob").order_by("path"))


def _folders(assets: QuerySet[Asset], prefix: str) -> list[FolderEntry]:
    rows = (
        _below(assets, prefix)
        .filter(slash__gt=0)
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


def list_folder(assets: QuerySet[Asset], folder: RepoPath) -> Listing:
    """The folder's entries among `assets` (a repository's files, from its content source)."""
    return Listing(
        folder=folder,
        folders=_folders(assets, folder.prefix),
        files=_files(assets, folder.prefix),
    )
