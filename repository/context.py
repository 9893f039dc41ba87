"""The typed context of a request below /repository/<name>/, set once, by dispatch.

Format code reads the repository, its format, its content source and the caller from
`request.larder`, and nothing else off the request.
"""

from dataclasses import dataclass

from repository.access.credentials import Caller
from repository.cache.rows import Reads
from repository.formats import Format
from repository.models import Repository
from repository.sources import ContentSource


@dataclass
class RepositoryContext:
    repository: Repository  # the one named in the URL
    format: Format
    source: ContentSource
    caller: Caller
    reads: Reads  # what the row cache relied on, for answers kept without Django
    # Where this request's writes land (the repository itself when hosted); None for reads.
    target: Repository | None = None

    @property
    def write_target(self) -> Repository:
        if self.target is None:
            raise RuntimeError("a write view ran without a write target: mark it @writes")
        return self.target
