"""Where a PyPI repository keeps its files, relative to the repository's root URL."""

from urllib.parse import quote

ROLE_DISTRIBUTION = "distribution"
ROLE_CORE_METADATA = "core-metadata"
METADATA_SUFFIX = ".metadata"


def file_path(project: str, version: str, filename: str) -> str:
    """`files/<normalized-project>/<version>/<filename>`: unique per repository."""
    return f"files/{project}/{version}/{filename}"


def core_metadata_path(distribution_path: str) -> str:
    """PEP 658: the metadata file lives at the distribution's URL plus `.metadata`."""
    return distribution_path + METADATA_SUFFIX


def url_path(path: str) -> str:
    """A stored path as it appears in a URL (percent-encoded, slashes kept)."""
    return quote(path)
