"""What every write calls so that readers see it at once, on every web process.

A write to a package bumps its generation (its stored documents stop matching), drops its
stored documents, replaces its repository's stamp (rows and answers kept under the old one
stop being used) and, after commit, queues the rendering of the new generation for formats
that render ahead. Adding or removing packages bumps the repository's generation (its
listings) just after commit. All of it happens inside the write's transaction or after its
commit, so a rollback leaves nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from repository.cache.stamps import LISTING, repository_content_changed, repository_row_changed
from repository.formats import get_format
from repository.models import Package, RenderedDocument, Repository

_RENDER_AHEAD: ContextVar[bool] = ContextVar("larder_render_ahead", default=True)


@contextmanager
def read_at_once() -> Iterator[None]:
    """Writes inside queue no rendering ahead: their caller reads the documents itself at
    once (a proxy's cold fetch), and would only wait for a worker rendering them."""
    token = _RENDER_AHEAD.set(False)
    try:
        yield
    finally:
        _RENDER_AHEAD.reset(token)


def package_changed(package: Package) -> None:
    """Call inside the write's transaction whenever anything served about a package changes."""
    repository_content_changed(package.repository_id)
    Package.objects.filter(pk=package.pk).update(
        generation=F("generation") + 1, updated=timezone.now()
    )
    RenderedDocument.objects.filter(package=package).delete()
    if _RENDER_AHEAD.get():
        transaction.on_commit(partial(_warm, package.pk))


def repository_changed(repository: Repository) -> None:
    """Call inside the write's transaction when packages are added to or removed from it.

    The generation moves on just after commit, in a statement of its own: bumped inside,
    the row stayed locked until the write committed, and every write adding a package to
    the repository queued behind the one before (30 cold pages of a proxy: 0.6 s). Its
    listings (stored under their generation, replaced in place) are rendered anew from
    the next read on."""
    repository_content_changed(repository.pk)
    transaction.on_commit(partial(_listing_changed, repository.pk))


def _listing_changed(repository_id: int) -> None:
    """The row's stamp is replaced after the bump: a process that read the repository row
    between the write's commit and the bump cannot keep the old generation (its content
    stamp was replaced at commit; nothing kept under it holds the generation)."""
    Repository.objects.filter(pk=repository_id).update(generation=F("generation") + 1)
    repository_row_changed(repository_id)


def _warm(package_id: int) -> None:
    """After commit: queue the rendering of the generation the write left, if the format
    renders anything ahead (a bulk import into a format that does not queues nothing)."""
    from repository.tasks import warm_package_documents  # the tasks render through this cache

    package = Package.objects.select_related("repository").filter(pk=package_id).first()
    if package is not None and get_format(package.repository.format).warmed_documents(package):
        warm_package_documents.delay(package_id, package.generation)


def _repository_saved_or_deleted(sender, instance: Repository, **kwargs) -> None:
    repository_content_changed(LISTING)
    repository_row_changed(instance.pk)
    repository_content_changed(instance.pk)


def connect_signals() -> None:
    """A repository row saved or deleted anywhere (API, admin, CLI) moves its stamp on."""
    post_save.connect(_repository_saved_or_deleted, sender=Repository)
    post_delete.connect(_repository_saved_or_deleted, sender=Repository)
