"""What a format tells the proxy core about its upstream: where a package's index document
is, and what that document says, in the core's own terms.

A format's reader (Format.upstream_reader()) turns the upstream's index document into an
UpstreamPackage; the core does the rest (fetching, freshness, mirroring into rows,
cooldown, fetching files and verifying them against the digests read here).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, Protocol

from repository.proxy.client import UpstreamClient, Validators
from repository.proxy.tee import ExpectedDigest


@dataclass(frozen=True)
class UpstreamFile:
    """A file the upstream lists: stored at `path` here, fetched from `url` on demand."""

    path: str
    filename: str
    url: str
    digests: tuple[ExpectedDigest, ...] = ()
    size: int | None = None
    content_type: str = "application/octet-stream"
    created: datetime | None = None  # the upstream's upload time, where it says
    metadata: dict[str, Any] = field(default_factory=dict)  # format facts, stored as-is


@dataclass(frozen=True)
class UpstreamVersion:
    version: str
    files: tuple[UpstreamFile, ...] = ()
    created: datetime | None = None  # the upstream's publish time, where it says
    metadata: dict[str, Any] = field(default_factory=dict)
    yanked: bool = False
    yanked_reason: str = ""
    deprecated: str = ""


@dataclass(frozen=True)
class UpstreamPackage:
    name: str  # normalized by the format's rule
    display_name: str
    versions: tuple[UpstreamVersion, ...]
    tags: dict[str, str] = field(default_factory=dict)  # npm dist-tags
    metadata: dict[str, Any] = field(default_factory=dict)


def upstream_time(value: object) -> datetime | None:
    """An ISO 8601 time from an upstream's document (PyPI upload-time, npm `time`); None
    where it says nothing usable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class WholeFile(Protocol):
    """A listed file's whole bytes, for a format deriving something from them."""

    def __call__(self) -> BinaryIO:
        """Its stored bytes, seekable, fetched (verified) and cached first if need be."""

    def keep(self, data: bytes, validators: Validators) -> None:
        """A read that happened to bring the whole file (a range covering it): stored as
        the file if it is what the upstream's index promised, so the download that
        follows is served from the cache instead of fetched again."""


@dataclass(frozen=True)
class WantedNext:
    """What a client that just read a package's index is about to ask for (read ahead)."""

    names: tuple[str, ...] = ()  # packages' index documents
    paths: tuple[str, ...] = ()  # files the index lists


@dataclass(frozen=True)
class IndexRequest:
    """Where the upstream serves a package's index document, relative to its URL."""

    path: str
    accept: str


class UpstreamReader(ABC):
    """One format's way of reading an upstream. Small: the core does the fetching."""

    # What the format's documents show of a file ("size", digest algorithms): a fill that
    # learns one of them where the upstream published none renders the documents anew.
    shown_file_facts: frozenset[str] = frozenset(
        {"size", "sha256", "sha1", "sha512", "md5", "blake2b_256"}
    )

    @abstractmethod
    def index_request(self, name: str) -> IndexRequest | None:
        """The package's index document; None where the format has none (generic files)."""

    @abstractmethod
    def parse(self, name: str, body: bytes, content_type: str, url: str) -> UpstreamPackage:
        """The document at `url` read into the core model; ValueError if it is not one."""

    def package_of(self, path: str) -> str | None:
        """The package whose index lists the file at `path` (so a file asked for before its
        index, from a lockfile, is found by mirroring that index); None: no index does."""
        return None

    def wanted_next(self, found: UpstreamPackage) -> WantedNext:
        """What a client reading `found` asks for next, worth fetching before it does
        (npm resolves one packument at a time); nothing where a client's next step cannot
        be told from the index (PyPI's dependencies are inside its files)."""
        return WantedNext()

    def file_at(self, client: UpstreamClient, path: str) -> UpstreamFile | None:
        """A file no index lists, asked for by path (generic files); None: not here."""
        return None

    def derived_file(
        self, client: UpstreamClient, file: dict, role: str, whole: WholeFile
    ) -> tuple[bytes, dict] | None:
        """A file derived from a listed one (PEP 658 metadata), read as cheaply as the
        upstream allows, and the facts to add to the file's metadata (its hash, to
        advertise). `file`: the asset's upstream facts, its `path` and whether it is
        `cached`; `whole` opens its bytes. None: the format derives nothing of that role."""
        return None
