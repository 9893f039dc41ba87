"""Content sources by repository kind; the seam itself is in base.py."""

from collections.abc import Callable

from repository.cache.rows import Reads
from repository.models import Repository
from repository.sources.base import ContentSource, DocumentSpec, PlannedPackage
from repository.sources.group import GroupSource
from repository.sources.local import LocalSource
from repository.sources.proxy import ProxySource


def _everyone(repository: Repository) -> bool:
    return True


def source_for(
    repository: Repository,
    reads: Reads,
    readable: Callable[[Repository], bool] = _everyone,
    *,
    client: bool = False,
) -> ContentSource:
    """The source for the repository's kind. `readable` says which repositories the caller
    may read, for sources that combine several (a group shows only members one may read).
    Hosted repositories read their own rows; proxies fill theirs from their upstream, and,
    for a package `client` (the format's own URLs, not the web UI), read ahead of it."""
    if repository.kind == Repository.Kind.GROUP:
        return GroupSource(
            repository,
            reads,
            readable=readable,
            member_source=lambda member: source_for(member, reads, readable, client=client),
        )
    if repository.kind == Repository.Kind.PROXY:
        return ProxySource(repository, reads, reads_ahead=client)
    return LocalSource(repository, reads)


__all__ = ["ContentSource", "DocumentSpec", "PlannedPackage", "source_for"]
