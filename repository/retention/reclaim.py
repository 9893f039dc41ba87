"""How many bytes removing some files would free, counting dedup.

A blob frees its bytes only when every reference to it goes: each file pointing at it (in
any repository), each sidecar (PEP 658 metadata), each trash entry. Files elsewhere are
looked at with the same rules (a file another package of this policy also loses still
counts as going). A blob many removed files share is counted once, for the oldest file
holding it (the lowest id), so every page of a preview and the run that follows it agree
on where each byte is counted, whatever order they walk in.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from repository.models import Asset, Blob, Package, Repository, Sidecar, TrashBlob, TrashEntry
from repository.retention.rules import Rules
from repository.retention.selection import Item, PackageRef, select_packages

# Other packages' selections kept while counting (shared blobs are rare; this bounds them).
MEMO_PACKAGES = 2000


@dataclass(frozen=True)
class Ref:
    """A file holding a blob, directly or through one of its sidecars."""

    asset: int
    repository: int
    package: int | None
    sidecar: bool


class Reclaim:
    """Counts Item.reclaimed for batches of items of one policy walk (or of run `run_id`)."""

    def __init__(
        self, rules: Rules, repositories: list[Repository], now: datetime, run_id: int | None
    ):
        self.rules = rules
        self.repositories = {repository.pk: repository for repository in repositories}
        self.now = now
        self.run_id = run_id
        self._memo: dict[int, set[int]] = {}
        # Run only: shared blobs already counted, whose other holders may be gone by now.
        self._counted: set[str] = set()

    def count(self, items: list[Item]) -> None:
        owner_of = {f.pk: item for item in items for f in item.files}
        if not owner_of:
            return
        blobs = {f.blob for item in items for f in item.files if f.blob}
        if not self.rules.evicts:
            sidecars = Sidecar.objects.filter(asset__in=list(owner_of))
            blobs.update(sidecars.values_list("blob_id", flat=True))
        refs = self._references(blobs)
        trash = defaultdict(set)
        # Two lookups by index, not a join: the planner joins a growing trash by scanning it.
        held = list(TrashBlob.objects.filter(blob__in=blobs).values_list("blob_id", "entry_id"))
        if held:
            runs = dict(
                TrashEntry.objects.filter(pk__in={entry for _, entry in held}).values_list(
                    "pk", "run_id"
                )
            )
            for blob, entry in held:
                trash[blob].add(runs.get(entry))
        sizes = dict(Blob.objects.filter(pk__in=blobs).values_list("sha256", "size"))
        for blob in sorted(blobs - self._counted):
            # Trash entries of this run held files removed earlier in it: those go too.
            if any(run is None or run != self.run_id for run in trash[blob]):
                continue
            holders = refs[blob]
            if not all(self._goes(ref, owner_of) for ref in holders):
                continue
            first = min(ref.asset for ref in holders)
            if first not in owner_of:
                continue  # counted with the file that holds it first
            owner_of[first].reclaimed += sizes.get(blob, 0)
            if self.run_id is not None and any(r.asset not in owner_of for r in holders):
                self._counted.add(blob)

    def _references(self, blobs: set[str]) -> dict[str, list[Ref]]:
        refs = defaultdict(list)
        fields = ("pk", "repository_id", "package_id")
        for blob, *ref in Asset.objects.filter(blob__in=blobs).values_list("blob_id", *fields):
            refs[blob].append(Ref(*ref, sidecar=False))
        for blob, *ref in Sidecar.objects.filter(blob__in=blobs).values_list(
            "blob_id", "asset_id", "asset__repository_id", "asset__package_id"
        ):
            refs[blob].append(Ref(*ref, sidecar=True))
        return refs

    def _goes(self, ref: Ref, owner_of: dict[int, Item]) -> bool:
        """Whether this reference goes too: eviction keeps sidecars, deletion drops them."""
        if ref.sidecar and self.rules.evicts:
            return False
        if ref.asset in owner_of:
            return True
        return ref.asset in self._removed_elsewhere(ref)

    def _removed_elsewhere(self, ref: Ref) -> set[int]:
        """The files the same rules remove in another package (none outside the policy)."""
        repository = self.repositories.get(ref.repository)
        if repository is None or ref.package is None:
            return set()
        if ref.package not in self._memo:
            if len(self._memo) >= MEMO_PACKAGES:
                self._memo.clear()
            package = PackageRef(ref.package, *_names(ref.package))
            items = select_packages(self.rules, repository, [package], self.now)
            self._memo[ref.package] = {f.pk for item in items for f in item.files}
        return self._memo[ref.package]


def _names(package_id: int) -> tuple[str, str]:
    return Package.objects.filter(pk=package_id).values_list("name", "display_name").get()
