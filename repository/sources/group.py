"""A group repository: its members, asked in order, merged into one URL.

What a group serves for a package name comes from its *participants*: the members, in
order, that hold a package of that name, that the caller may read, and that the
dependency-confusion shield lets in. The shield keeps proxy members out of a name that a
hosted member holds (so `corp-utils 99.0` published upstream cannot shadow the internal
one; this holds even when the caller cannot read that hosted member) and out of names the
group claims (`corp-*`, `@corp/*`), which proxies are then never asked for at all.

Documents are merged by the format (Format.merge_documents: the first member wins) and
stored like a hosted repository's, under a validity made of every member's generation for
the name and whether the caller sees it: a publish to any member changes it, so the group
shows the publish on the very next request. Files come from the first participant that has
the path. Writes go to the group's write member, with that member's grants and policies.
"""

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cached_property
from typing import TypeVar

from django.db.models import QuerySet

from repository.cache import rows
from repository.cache.documents import Owner, Validity
from repository.formats import get_format
from repository.models import Asset, Blob, Package, Repository
from repository.refusals import Refusal
from repository.sources.base import ContentSource, DocumentSpec, Stored

_MAX_KEY = 64  # RenderedDocument.key
T = TypeVar("T")


@dataclass
class Member:
    repository: Repository
    source: ContentSource
    visible: bool  # the caller may read it

    @property
    def proxy(self) -> bool:
        return self.repository.kind == Repository.Kind.PROXY


class GroupSource(ContentSource):
    def __init__(
        self,
        repository: Repository,
        reads,
        *,
        readable: Callable[[Repository], bool],
        member_source: Callable[[Repository], ContentSource],
    ) -> None:
        super().__init__(repository, reads)
        self._readable = readable
        self._member_source = member_source
        self._participants: dict[str, list[tuple[Member, Package]]] = {}

    @cached_property
    def members(self) -> list[Member]:
        """The members in their order, each read through the row cache (so their stamps
        join this request's), a member deleted behind the group's back left out."""
        found = []
        for name in self.repository.settings.get("members", []):
            member = rows.find_repository(self.reads, name)
            if member is not None and member.format == self.repository.format:
                found.append(Member(member, self._member_source(member), self._readable(member)))
        return found

    def _visible(self) -> Iterator[Member]:
        return (member for member in self.members if member.visible)

    def claimed(self, name: str) -> bool:
        """Whether the group keeps this name for its hosted members (proxies never asked)."""
        return any(
            fnmatchcase(name, pattern) for pattern in self.repository.settings.get("claims", [])
        )

    def shielded(self, name: str) -> bool:
        """Whether proxy members are kept out of this name: claimed, or held by a hosted
        member (any hosted member, whether or not this caller may read it)."""
        if self.claimed(name):
            return True
        if not self.repository.settings.get("shield", True):
            return False
        return any(
            not member.proxy and member.source.package(name) is not None for member in self.members
        )

    def participants(self, name: str) -> list[tuple[Member, Package]]:
        """(member, its package) for each member that serves this name here, in order. A
        proxy member whose upstream fails is left out while another member serves the
        name; when none does, the client hears the upstream's failure, not a 404."""
        if name not in self._participants:
            shielded = self.shielded(name)
            found, failure = [], None
            for member in self._visible():
                if member.proxy and shielded:
                    continue
                try:
                    package = member.source.package(name)
                except Refusal as refused:  # a proxy member's upstream failed us
                    failure = failure or refused
                    continue
                if package is not None:
                    found.append((member, package))
            if not found and failure is not None and failure.status != 404:
                raise failure
            self._participants[name] = found
        return self._participants[name]

    def package(self, name: str) -> Package | None:
        """The first participant's package: dist-tags, versions looked up one by one and
        the JSON API follow it; merged documents show every participant."""
        found = self.participants(name)
        return found[0][1] if found else None

    def _file_member(self, asset: Asset, member: Member) -> bool:
        """Whether a member's file may be served here: a proxy's not for a shielded name."""
        if not member.proxy or asset.package_id is None:
            return True
        return not self.shielded(Package.objects.get(pk=asset.package_id).name)

    def _path_shielded(self, path: str) -> bool:
        """Whether the path belongs to a shielded name (proxies are then not even asked)."""
        reader = get_format(self.repository.format).upstream_reader()
        owner = reader.package_of(path) if reader is not None else None
        if owner is None:
            return False
        return self.shielded(get_format(self.repository.format).normalize_name(owner))

    def _find(self, path: str, lookup: Callable[[ContentSource], T | None]) -> T | None:
        """The first member's answer for a file at `path`: proxies are skipped for shielded
        names, and one whose upstream fails is skipped while another member has the file."""
        failure = None
        for member in self._visible():
            if member.proxy and self._path_shielded(path):
                continue
            try:
                found = lookup(member.source)
            except Refusal as refused:
                if not member.proxy:
                    raise
                failure = failure or refused
                continue
            asset = found[0] if isinstance(found, tuple) else found
            if asset is not None and self._file_member(asset, member):
                return found
        if failure is not None and failure.status != 404:
            raise failure
        return None

    def asset(self, path: str) -> Asset | None:
        return self._find(path, lambda source: source.asset(path))

    def sidecar(self, path: str, role: str) -> tuple[Asset, Blob] | None:
        return self._find(path, lambda source: source.sidecar(path, role))

    def packages(self) -> QuerySet[Package]:
        return Package.objects.filter(repository__in=[m.repository for m in self._visible()])

    def assets(self) -> QuerySet[Asset]:
        return Asset.objects.filter(repository__in=[m.repository for m in self._visible()])

    def fill(self, request, asset: Asset, content_type: str, serve_cached):
        """A member's file without its bytes: that member fetches them."""
        owner = next(m for m in self.members if m.repository.pk == asset.repository_id)
        return owner.source.fill(request, asset, content_type, serve_cached)

    def public_file(self, asset: Asset) -> bool:
        owner = next((m for m in self.members if m.repository.pk == asset.repository_id), None)
        return (
            self.repository.anonymous_read and owner is not None and owner.source.public_file(asset)
        )

    def _parts(self, package: Package | None) -> list[tuple[Member, Package | None]]:
        if package is None:
            return [(member, None) for member in self._visible()]
        return self.participants(package.name)

    def _validity(self, package: Package | None) -> Validity:
        """Every member's generation for the name (or listing) and whether the caller sees
        it: a write to any member, a change of the shield or of the caller's view of the
        members makes another document."""
        parts = [self.repository.generation]
        for member in self.members:
            if package is None:
                generation = member.repository.generation
            else:
                found = member.source.package(package.name) if not member.proxy else None
                generation = found.generation if found is not None else -1
            parts.append(f"{member.repository.pk}:{generation}:{int(member.visible)}")
        if package is not None:
            parts += [
                f"{m.repository.pk}:{p.generation}" for m, p in self.participants(package.name)
            ]
        return Validity.of(*parts)

    def _owner_and_key(self, spec: DocumentSpec, package: Package | None) -> tuple[Owner, str]:
        key = spec.key if package is None else f"{spec.key}@{package.name}"
        if len(key) > _MAX_KEY:
            key = "group#" + hashlib.sha256(key.encode()).hexdigest()[: _MAX_KEY - 6]
        return Owner(self.repository, None), key

    def _render(self, spec: DocumentSpec, package: Package | None):
        parts = self._parts(package)
        fmt = get_format(self.repository.format)

        def render() -> bytes:
            built = [(m.repository, spec.build(m.repository, p)) for m, p in parts]
            return spec.serialize(fmt.merge_documents(spec.key, self.repository, built))

        return render

    def _public(self, package: Package | None) -> bool:
        """Shared caches may keep a merged document only if every member it shows is public."""
        return self.repository.anonymous_read and all(
            member.repository.anonymous_read for member, _ in self._parts(package)
        )

    def storing(self, spec: DocumentSpec, package: Package | None) -> Stored:
        owner, key = self._owner_and_key(spec, package)
        return Stored(
            owner, key, self._validity(package), self._render(spec, package), self._public(package)
        )

    def write_target(self) -> Repository:
        name = self.repository.settings.get("write_to")
        target = rows.find_repository(self.reads, name) if name else None
        if target is None or target.kind != Repository.Kind.HOSTED:
            raise Refusal(
                405,
                f"Group {self.repository.name} has no write member and takes no uploads; "
                "upload to one of its hosted members",
                label="no-write-member",
            )
        return target
