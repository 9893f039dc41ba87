"""The content-source seam: what a format view asks about the repository it serves.

A format view never queries rows or caches itself: it asks the request's source
(request.larder.source) for a package, a file, the packages to list, or a stored document,
and where a write goes. The source is chosen by the repository's kind (__init__.py):
hosted repositories read their own rows (local.py), a group merges its members' (group.py),
and no format view knows which it is talking to.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from repository.cache import answers, copies
from repository.cache.documents import Owner, Validity, load_or_render
from repository.cache.rows import Reads
from repository.models import Asset, Blob, Package, RenderedDocument, Repository, Version
from repository.refusals import Refusal
from repository.serving import document_response
from repository.urlbase import base_url


@dataclass(frozen=True)
class Stored:
    """Where a source keeps one of its documents, what makes it current, and how to make
    it: what document() and stored() need of a source, whatever its kind."""

    owner: Owner
    key: str
    validity: Validity
    render: Callable[[], bytes]
    public: bool  # shared caches may keep it (everything it shows is public)


@dataclass(frozen=True)
class PlannedPackage:
    """A package as a proxy's first fetch of it will store it, before it is stored: the
    unsaved rows (no keys yet) and its tags by version. A proxy answers the client's first
    request from this and writes the rows once the answer is sent."""

    package: Package
    versions: list[Version]
    tags: dict[str, str]


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
    # The same data built from a package not stored yet; None: only from stored rows.
    build_planned: Callable[[Repository, PlannedPackage], Any] | None = None


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

    def not_found(self, what: str) -> Refusal:
        """The 404 for something this source does not have (an offline proxy says why)."""
        return Refusal(404, f"not found: {what}")

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
    def storing(self, spec: DocumentSpec, package: Package | None) -> Stored:
        """Where and under what validity this source keeps the document of `spec`."""

    def document(
        self, request: HttpRequest, spec: DocumentSpec, package: Package | None
    ) -> HttpResponse:
        """The GET/HEAD answer for a stored document, rendered only when none is current."""
        where = self.storing(spec, package)
        sent = copies.served(
            where.owner,
            where.key,
            where.validity,
            spec.content_type,
            where.render,
            base_url(request) if spec.absolute_urls else None,
        )
        response = document_response(
            request, sent, content_type=spec.content_type, public=where.public, vary=spec.vary
        )
        if where.public:
            answers.share(request, response)
        return response

    def package_document(
        self, request: HttpRequest, spec: DocumentSpec, name: str
    ) -> HttpResponse | None:
        """The document of `spec` for the package of this normalized name; None if there
        is no such package. A proxy may answer from the upstream's document before it has
        stored the package (`spec.build_planned`)."""
        package = self.package(name)
        return None if package is None else self.document(request, spec, package)

    def stored(self, spec: DocumentSpec, package: Package | None) -> RenderedDocument:
        """The current stored document, rendered first if need be (warming ahead)."""
        where = self.storing(spec, package)
        return load_or_render(
            where.owner, where.key, where.validity, spec.content_type, where.render
        )

    def fill(
        self,
        request: HttpRequest,
        asset: Asset,
        content_type: str,
        serve_cached: Callable[[Asset], HttpResponse],
    ) -> HttpResponse:
        """The answer for a file listed here without its bytes (a proxy fetches them and
        streams them on; `serve_cached` answers once they are stored). Only proxies list
        such files."""
        raise Refusal(404, "File not found")

    @abstractmethod
    def public_file(self, asset: Asset) -> bool:
        """Whether anyone may read this file here, so shared caches may keep its answer."""

    @abstractmethod
    def write_target(self) -> Repository:
        """The repository a write to this one lands in; a Refusal if it takes none."""
