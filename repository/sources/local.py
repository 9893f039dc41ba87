"""A repository's own rows: what hosted repositories serve (and proxies, once refreshed).

Rows come through the per-process row cache and documents through the stored-document
cache, both validated per request (repository/cache/), so a publish is seen by the very next
request on every web process.
"""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from repository.cache import answers, copies, rows
from repository.cache.documents import Owner, Validity, load_or_render
from repository.models import Asset, Blob, Package, RenderedDocument, Repository, Sidecar
from repository.refusals import Refusal
from repository.serving import document_response
from repository.sources.base import ContentSource, DocumentSpec
from repository.urlbase import base_url


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

    def _render(self, spec: DocumentSpec, package: Package | None):
        return lambda: spec.serialize(spec.build(self.repository, package))

    def document(
        self, request: HttpRequest, spec: DocumentSpec, package: Package | None
    ) -> HttpResponse:
        sent = copies.served(
            Owner(self.repository, package),
            spec.key,
            self.validity(package),
            spec.content_type,
            self._render(spec, package),
            base_url(request) if spec.absolute_urls else None,
        )
        public = self.repository.anonymous_read
        response = document_response(
            request, sent, content_type=spec.content_type, public=public, vary=spec.vary
        )
        if public:
            answers.share(request, response)
        return response

    def stored(self, spec: DocumentSpec, package: Package | None) -> RenderedDocument:
        return load_or_render(
            Owner(self.repository, package),
            spec.key,
            self.validity(package),
            spec.content_type,
            self._render(spec, package),
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
