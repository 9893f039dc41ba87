"""Content sources: what a format view asks about the repository it serves (base.py).

Hosted repositories read their own rows (local.py); the proxy and group kinds add sources
of their own here.
"""

from repository.cache.rows import Reads
from repository.models import Repository
from repository.sources.base import ContentSource, DocumentSpec
from repository.sources.local import LocalSource


def source_for(repository: Repository, reads: Reads) -> ContentSource:
    """The source for the repository's kind: any kind without one of its own reads its
    own rows and takes no writes."""
    return LocalSource(repository, reads)


__all__ = ["ContentSource", "DocumentSpec", "source_for"]
