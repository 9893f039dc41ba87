"""The content-source seam: what a format view asks about the repository it serves.

A format view never queries rows or caches itself: it asks the request's source
(request.larder.source) for a package, a file, the packages to list, or a stored document,
and where a write goes. The source is chosen by the repository's kind. Hosted repositories
read their own rows (LocalSource), through the per-process row cache and the stored-document
cache, both validated per request (repository/cache/), so a publish is seen by the very next
request on every web process. Proxy and group repositories bring sources of their own (a
proxy refreshes its mirrored rows from the upstream first; a group merges its members'),
and no format view changes.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from repository.cache import answers, copies, rows
from repository.cache.documents import Owner, Validity, load_or_render
from repository.cache.rows import Reads
from repository.models import Asset, Blob, Package, RenderedDocument, Repository, Sidecar
from repository.refusals import Refusal
from repository.serving import document_response
from repository.urlbase import base_url


@dataclass(frozen=True)
class DocumentSpec:
    """One document a format serves: its key among its owner's documents, its content
    type, how to build it as data from one repository's rows (`package` None: the
    repository's listing) and how to serialize that data. Kept apart so that a source
    combining several repositories can merge their data (Format.merge_documents) before
    serializing. `absolute_urls`: the body holds urlbase.BASE_PLACEHOLDER, filled in per
    host. `vary`: request headers besides Accept-Encoding that chose this document."""

    key: str
    content_type: str
    build: Callable[[Repository, Package | None], Any]
    serialize: Callable[[Any], bytes]
    absolute_urls: bool = False
    vary: str | None = None


class ContentSource(ABC):
    """What one repository serves, for one request (`reads` records what it relied on)."""

    def __init__(self, repository: Repository, reads: Reads) -> None:
        self.repository = repository
        self.reads = reads

    @abstractmethod
    def package(self, name: str) -> Package | None:
        """The package of this normalized name, fresh enough that its generation decides
        which stored documents are current."""

    @abstractmethod
    def asset(self, path: str) -> Asset | None:
        """The file at `path`, with its blob."""

    @abstractmethod
    def sidecar(self, path: str, role: str) -> tuple[Asset, Blob] | None:
        """The file at `path` and its derived file of `role` (PEP 658 metadata...)."""

    @abstractmethod
    def packages(self) -> QuerySet[Package]:
        """Every package this repository serves, for listings and search."""

    @abstractmethod
    def assets(self) -> QuerySet[Asset]:
        """Every file this repository serves, for folder listings."""

    @abstractmethod
    def document(
        self, request: HttpRequest, spec: DocumentSpec, package: Package | None
    ) -> HttpResponse:
        """The GET/HEAD answer for a stored document, rendered only when none is current."""

    @abstractmethod
    def stored(self, spec: DocumentSpec, package: Package | None) -> RenderedDocument:
        """The current stored document, rendered first if need be (warming ahead)."""

    @abstractmethod
    def write_target(self) -> Repository:
        """The repository a write to this one lands in; a Refusal if it takes none."""


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

    def write_target(self) -> Repository:
        if self.repository.kind != Repository.Kind.HOSTED:
            raise Refusal(
                405,
                f"Repository {self.repository.name} is a {self.repository.kind} repository "
                "and takes no uploads; upload to a hosted one",
                label="not-hosted",
            )
        return self.repository


def source_for(repository: Repository, reads: Reads) -> ContentSource:
    """The source for the repository's kind: any kind without one of its own reads its
    own rows and takes no writes."""
    return LocalSource(repository, reads)
