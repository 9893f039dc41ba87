"""Where a PyPI repository keeps its files, relative to the repository's root URL."""

from urllib.parse import quote

# The Sidecar role of a wheel's METADATA file, served at the wheel's URL + `.metadata`.
CORE_METADATA = "core-metadata"
METADATA_SUFFIX = ".metadata"


def file_path(project: str, version: str, filename: str) -> str:
    """`files/<normalized-project>/<version>/<filename>`: unique per repository."""
    return f"files/{project}/{version}/{filename}"


def url_path(path: str) -> str:
    """A stored path as it appears in a URL (percent-encoded, slashes kept)."""
    return quote(path)
