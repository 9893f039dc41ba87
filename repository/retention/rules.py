"""A policy's rules, checked once, and what they say about one package's versions.

Every rule is optional and they combine with AND: a version is selected only when each rule
that is set matches it. Versions are ranked by the format's `version_key` (PEP 440, semver,
natural order), never by upload time or string order; prereleases are the format's
`is_prerelease`. Nothing here reads the database: selection.py feeds it rows.
"""

import fnmatch
from dataclasses import dataclass
from datetime import datetime, timedelta

from repository.formats import Format
from repository.models import RetentionPolicy

Releases = RetentionPolicy.Releases

RULE_FIELDS = (
    "keep_newest",
    "older_than_days",
    "not_downloaded_days",
    "releases",
    "name_glob",
    "cached_not_downloaded_days",
    "delete_last_version",
)


@dataclass(frozen=True)
class VersionRow:
    """What the rules need to know of a version."""

    pk: int
    version: str
    created: datetime
    last_downloaded: datetime | None


@dataclass(frozen=True)
class Match:
    row: VersionRow
    reason: str  # each rule that matched, in words


@dataclass(frozen=True)
class Rules:
    keep_newest: int | None = None
    older_than_days: int | None = None
    not_downloaded_days: int | None = None
    releases: str = Releases.ANY
    name_glob: str = ""
    cached_not_downloaded_days: int | None = None
    delete_last_version: bool = False

    @classmethod
    def of(cls, policy: RetentionPolicy) -> "Rules":
        return cls(**{field: getattr(policy, field) for field in RULE_FIELDS})

    @property
    def evicts(self) -> bool:
        """Cached files are evicted (the versions stay) instead of versions deleted."""
        return self.cached_not_downloaded_days is not None

    @property
    def selects_anything(self) -> bool:
        """A policy with no rule would select every version: that is never what anyone meant."""
        return any(
            (
                self.keep_newest is not None,
                self.older_than_days is not None,
                self.not_downloaded_days is not None,
                self.releases != Releases.ANY,
                bool(self.name_glob),
                self.evicts,
            )
        )

    def summary(self) -> str:
        """The rules in words, for lists: "beyond the newest 5; older than 30 days"."""
        parts = []
        if self.keep_newest is not None:
            parts.append(f"beyond the newest {self.keep_newest}")
        if self.older_than_days is not None:
            parts.append(f"older than {self.older_than_days} days")
        if self.not_downloaded_days is not None:
            parts.append(f"not downloaded for {self.not_downloaded_days} days")
        if self.releases != Releases.ANY:
            parts.append(Releases(self.releases).label)
        if self.name_glob:
            parts.append(f"names matching {self.name_glob}")
        if self.evicts:
            parts.append(f"evict cached files idle {self.cached_not_downloaded_days} days")
        if self.delete_last_version:
            parts.append("last versions too")
        return "; ".join(parts)

    def check(self) -> None:
        """ValueError with a sentence a person can act on."""
        if not self.selects_anything:
            raise ValueError(
                "set at least one rule: a policy without rules would delete every version"
            )
        if self.releases not in Releases.values:
            raise ValueError(f"releases must be one of: {', '.join(Releases.values)}")
        for field in ("keep_newest", "older_than_days", "not_downloaded_days"):
            value = getattr(self, field)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise ValueError(f"{field} must be a whole number of 0 or more")
        days = self.cached_not_downloaded_days
        if days is not None and (not isinstance(days, int) or days < 0):
            raise ValueError("cached_not_downloaded_days must be a whole number of 0 or more")

    def matches_name(self, name: str, display_name: str) -> bool:
        if not self.name_glob:
            return True
        return any(fnmatch.fnmatchcase(n, self.name_glob) for n in (name, display_name))

    def select(
        self, fmt: Format, rows: list[VersionRow], protected: set[int], now: datetime
    ) -> list[Match]:
        """The versions of one package the rules select, newest first.

        Protected versions (tagged, pinned) are never selected. Unless the policy says so,
        the newest selected version is spared when nothing else would remain (an eviction
        removes no version: it spares none).
        """
        ranked = sorted(rows, key=lambda row: fmt.version_key(row.version), reverse=True)
        matches = []
        for rank, row in enumerate(ranked, 1):
            if row.pk in protected:
                continue
            reasons = self._reasons(fmt, rank, row, now)
            if reasons is not None:
                matches.append(Match(row, "; ".join(reasons)))
        spares_last = not (self.delete_last_version or self.evicts)
        if matches and len(matches) == len(rows) and spares_last:
            matches = matches[1:]
        return matches

    def _reasons(self, fmt: Format, rank: int, row: VersionRow, now: datetime) -> list | None:
        """Why each set rule matches, or None as soon as one does not."""
        reasons = []
        if self.keep_newest is not None:
            if rank <= self.keep_newest:
                return None
            reasons.append(f"#{rank} by version, beyond the newest {self.keep_newest}")
        if self.older_than_days is not None:
            age = (now - row.created).days
            if row.created > now - timedelta(days=self.older_than_days):
                return None
            reasons.append(f"uploaded {age} days ago")
        if self.not_downloaded_days is not None:
            last = row.last_downloaded or row.created
            if last > now - timedelta(days=self.not_downloaded_days):
                return None
            idle = (now - last).days
            reasons.append(
                f"last downloaded {idle} days ago"
                if row.last_downloaded
                else f"never downloaded in {idle} days"
            )
        if self.releases != Releases.ANY:
            prerelease = fmt.is_prerelease(row.version)
            if prerelease != (self.releases == Releases.PRERELEASES):
                return None
            reasons.append("a prerelease" if prerelease else "a release")
        if self.name_glob:
            reasons.append(f"name matches {self.name_glob}")
        return reasons

    def file_idle(self, last_downloaded: datetime | None, created: datetime, now: datetime):
        """For eviction: whether a cached file went undownloaded long enough."""
        last = last_downloaded or created
        return last <= now - timedelta(days=self.cached_not_downloaded_days)
