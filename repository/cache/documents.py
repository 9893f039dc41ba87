"""Stored documents: rendered once, kept in the database under the validity they were
rendered from, read with one indexed lookup however many versions a package has.

A document's validity (Validity) is a generation string and an optional expiry. A hosted
package's documents are valid for its generation, a listing for its repository's; a
document combining several repositories carries all their generations, and a proxied one
may end by time. Writes bump generations inside their transaction (invalidation.py), so a
render that raced a write is stored under the old validity and never matches again.
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from repository.models import Package, RenderedDocument, Repository

# Longest a read waits for a worker already rendering the document it needs.
WAIT_FOR_WARMING_SECONDS = 2.0
_MAX_VALIDITY = 64


@dataclass(frozen=True)
class Validity:
    """What a stored document must have been rendered from to be current."""

    generation: str
    expires: datetime | None = None

    @classmethod
    def of(cls, *generations: int, expires: datetime | None = None) -> "Validity":
        """From one generation or several (in a fixed order), long vectors hashed."""
        joined = ".".join(str(generation) for generation in generations)
        if len(joined) > _MAX_VALIDITY:
            joined = hashlib.sha256(joined.encode()).hexdigest()
        return cls(joined, expires)

    @property
    def expired(self) -> bool:
        return self.expires is not None and self.expires <= timezone.now()


@dataclass(frozen=True)
class Owner:
    """Whose document: a package's, or (package None) its repository's listing."""

    repository: Repository
    package: Package | None

    @property
    def identity(self) -> tuple:
        """Unique for the owner's life: `created` too, as a database may reuse the id of a
        row whose transaction rolled back."""
        owner = self.package if self.package is not None else self.repository
        return (type(owner).__name__, owner.pk, owner.created)


def warming_marker(package_id: int, validity: str) -> str:
    """Set (in the shared cache) once a worker starts rendering this package's documents."""
    return f"lock:warm:{package_id}:{validity}"


def _current(owner: Owner, key: str, validity: Validity) -> RenderedDocument | None:
    """The stored document of exactly this validity, or None: a stale body is never read."""
    if validity.expired:
        return None
    return (
        RenderedDocument.objects.filter(
            repository=owner.repository,
            package=owner.package,
            key=key,
            validity=validity.generation,
        )
        .only("pk", "etag", "content_type", "body", "validity")
        .first()
    )


def _rendered_by_worker(owner: Owner, key: str, validity: Validity) -> RenderedDocument | None:
    """A Celery worker is rendering this package (tasks.warm_package_documents): its
    result, waited for briefly, rather than a second render beside it (npm reads the
    packument right after a publish, while the worker is still at it)."""
    deadline = time.monotonic() + WAIT_FOR_WARMING_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.02)
        document = _current(owner, key, validity)
        if document is not None:
            return document
    return None


def load_or_render(
    owner: Owner,
    key: str,
    validity: Validity,
    content_type: str,
    render: Callable[[], bytes],
    *,
    wait_for_worker: bool = False,
) -> RenderedDocument:
    """The stored document, rendered and stored first unless one of `validity` is current.

    `wait_for_worker`: a read that finds a worker rendering this package waits for its
    result (briefly) instead of rendering it a second time.
    """
    document = _current(owner, key, validity)
    if document is not None:
        return document
    if (
        wait_for_worker
        and owner.package is not None
        and cache.get(warming_marker(owner.package.pk, validity.generation))
    ):
        waited = _rendered_by_worker(owner, key, validity)
        if waited is not None:
            return waited
    return _store(owner, key, validity, content_type, render())


def etag_of(body: bytes) -> str:
    """A document's ETag: a hash of its stored bytes."""
    return hashlib.sha256(body).hexdigest()[:32]


def _store(
    owner: Owner, key: str, validity: Validity, content_type: str, body: bytes
) -> RenderedDocument:
    """Kept in place of the owner's previous document of this key: a package's in one
    upsert; a listing's (no package: its uniqueness is a partial index, which an upsert
    cannot name) by update or insert."""
    fields = {
        "content_type": content_type,
        "validity": validity.generation,
        "expires": validity.expires,
        "etag": etag_of(body),
        "body": body,
    }
    if owner.package is None:
        document, _ = RenderedDocument.objects.update_or_create(
            repository=owner.repository, package=None, key=key, defaults=fields
        )
        return document
    [document] = RenderedDocument.objects.bulk_create(
        [RenderedDocument(repository=owner.repository, package=owner.package, key=key, **fields)],
        update_conflicts=True,
        unique_fields=["repository", "package", "key"],
        update_fields=list(fields),
    )
    return document
