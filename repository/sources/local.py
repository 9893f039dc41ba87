"""A repository's own rows: what hosted repositories serve (and proxies, once refreshed).

Rows come through the per-process row cache and documents through the stored-document
cache, both validated per request (repository/cache/), so a publish is seen by the very next
request on every web process.
"""

from django.db.models import QuerySet

from repository.cache import rows
from repository.cache.documents import Owner, Validity
from repository.models import Asset, Blob, Package, Repository, Sidecar
from repository.refusals import Refusal
from repository.sources.base import ContentSource, DocumentSpec, Stored


class LocalSource(ContentSource):
    """A repository's own rows: what hosted repositories serve (and proxies, refreshed)."""

    def package(self, name: str) -> Package | None:
        return rows.find_package(self.reads, self.repository, name)

    def asset(self, path: str) -> Asset | None:
        return rows.find_asset(self.reads, self.repository, path)

    def sidecar(self, path: str, role: str) -> tuple[Asset, Blob] | None:
        found = (
            Sidecar.objects.select_related("blob", "asset")
            .filter(asset__repository=self.repository, asset__path=path, role=role)
            .first()
        )
        return (found.asset, found.blob) if found is not None else None

    def packages(self) -> QuerySet[Package]:
        return Package.objects.filter(repository=self.repository)

    def assets(self) -> QuerySet[Asset]:
        return Asset.objects.filter(repository=self.repository)

    def validity(self, package: Package | None) -> Validity:
        owner = package if package is not None else self.repository
        return Validity.of(owner.generation)

    def storing(self, spec: DocumentSpec, package: Package | None) -> Stored:
        return Stored(
            Owner(self.repository, package),
            spec.key,
            self.validity(package),
            lambda: spec.serialize(spec.build(self.repository, package)),
            public=self.repository.anonymous_read,
        )

    def public_file(self, asset: Asset) -> bool:
        return self.repository.anonymous_read

    def write_target(self) -> Repository:
        if self.repository.kind != Repository.Kind.HOSTED:
            raise Refusal(
                405,
                f"Repository {self.repository.name} is a {self.repository.kind} repository "
                "and takes no uploads; upload to a hosted one",
                label="not-hosted",
            )
        return self.repository
