"""The exact preview: what a run would remove right now, a page at a time, or as CSV.

Pages are cut by a keyset cursor (repository name, package name, position within the
package), never by OFFSET, so page 5,000 of a million rows costs what page 1 costs. A page
reads whole package batches and counts reclaimed bytes with reclaim.py, so the figures on a
page are the ones the run will record.
"""

import base64
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from repository.models import Repository, RetentionPolicy
from repository.retention.reclaim import Reclaim
from repository.retention.rules import Rules
from repository.retention.selection import Item, package_batches, select_packages

CSV_HEADER = ["repository", "package", "version", "action", "files", "bytes", "reclaimed", "why"]


@dataclass(frozen=True)
class Cursor:
    repository: str = ""
    package: str = ""
    index: int = 0

    def encode(self) -> str:
        raw = json.dumps([self.repository, self.package, self.index]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str | None) -> "Cursor":
        if not text:
            return cls()
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            repository, package, index = json.loads(raw)
            return cls(str(repository), str(package), int(index))
        except (ValueError, TypeError) as exc:
            raise ValueError("invalid cursor: start again from the first page") from exc


@dataclass
class Page:
    items: list[Item]
    next: Cursor | None


@dataclass
class Totals:
    packages: int = 0
    versions: int = 0
    files: int = 0
    size: int = 0
    reclaimed: int = 0


def policy_scope(policy: RetentionPolicy) -> tuple[Rules, list[Repository]]:
    """The rules and repositories, in the order every walk takes them (by name, in Python:
    cursors compare names the same way)."""
    return Rules.of(policy), sorted(policy.repositories.all(), key=lambda r: r.name)


def walk(
    rules: Rules,
    repositories: list[Repository],
    start: Cursor = Cursor(),
    now: datetime | None = None,
) -> Iterator[tuple[Cursor, Item]]:
    """Every selected item from `start` on, with its position, bytes counted."""
    now = now or timezone.now()
    reclaim = Reclaim(rules, repositories, now, run_id=None)
    for repository in sorted(repositories, key=lambda r: r.name):
        if repository.name < start.repository:
            continue
        first = start.package if repository.name == start.repository else ""
        for packages in package_batches(repository, first):
            items = select_packages(rules, repository, packages, now)
            reclaim.count(items)
            index, package = 0, None
            for item in items:
                index = index + 1 if item.package == package else 0
                package = item.package
                position = Cursor(repository.name, package.name, index)
                if (repository.name, package.name) == (start.repository, start.package) and (
                    index < start.index
                ):
                    continue
                yield position, item


def page(rules: Rules, repositories: list[Repository], cursor: Cursor, limit: int) -> Page:
    items = []
    for position, item in walk(rules, repositories, cursor):
        if len(items) == limit:
            return Page(items, position)
        items.append(item)
    return Page(items, None)


def totals(rules: Rules, repositories: list[Repository]) -> Totals:
    """What a run would do in all, in one walk (bounded memory: a batch at a time)."""
    found = Totals()
    last_package = None
    for _, item in walk(rules, repositories):
        if item.package != last_package:
            found.packages += 1
            last_package = item.package
        found.versions += 1
        found.files += len(item.files)
        found.size += item.size
        found.reclaimed += item.reclaimed
    return found


def action(rules: Rules) -> str:
    return "evict" if rules.evicts else "delete"


def csv_rows(rules: Rules, repositories: list[Repository]) -> Iterator[str]:
    """The whole preview as CSV lines, generated as they are read (for streaming)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(row: list) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        return buffer.getvalue()

    yield line(CSV_HEADER)
    verb = action(rules)
    for _, item in walk(rules, repositories):
        yield line(
            [
                item.repository.name,
                item.package.display_name,
                item.version,
                verb,
                len(item.files),
                item.size,
                item.reclaimed,
                item.reason,
            ]
        )
