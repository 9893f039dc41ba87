"""Repository paths taken from URLs, checked once so nothing odd is ever stored.

Paths are database keys, never file system paths (blobs are content-addressed), yet they
reappear in URLs, listings, users' shells and other tools' mirrors of a repository. So a
path is refused, with a reason, when any tool could read it differently: `..` and `.`
segments, absolute paths, backslashes (a separator on Windows), control characters, empty
segments, names longer than file systems allow, and Unicode not in NFC (two spellings of one
name would be two files).
"""

import unicodedata
from dataclasses import dataclass

from repository.refusals import Refusal

MAX_SEGMENT_BYTES = 255
MAX_PATH_BYTES = 1024

# Characters that reorder displayed text: a listing could show a name as something it is not.
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


class UnsafePath(Refusal):
    def __init__(self, reason: str) -> None:
        super().__init__(400, f"invalid path: {reason}")


@dataclass(frozen=True)
class RepoPath:
    """A checked path: its segments, and whether it names a folder (root or trailing '/')."""

    segments: tuple[str, ...]
    folder: bool

    @property
    def text(self) -> str:
        """The path as stored on an Asset (no leading or trailing slash)."""
        return "/".join(self.segments)

    @property
    def name(self) -> str:
        return self.segments[-1] if self.segments else ""

    @property
    def prefix(self) -> str:
        """What every path inside this folder starts with ('' for the root)."""
        return self.text + "/" if self.segments else ""

    def join(self, relative: str) -> "RepoPath":
        """A path below this one, checked like any other (for form uploads to a folder)."""
        return parse_path(self.prefix + relative)


def _check_characters(raw: str) -> None:
    for char in raw:
        if unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            raise UnsafePath("control characters (such as NUL or newlines) are not allowed")
        if char in _BIDI_CONTROLS:
            raise UnsafePath("bidirectional control characters are not allowed")
    if "\\" in raw:
        raise UnsafePath("backslashes are not allowed; separate folders with '/'")
    if not unicodedata.is_normalized("NFC", raw):
        raise UnsafePath("names must be Unicode in NFC form")


def _check_segment(segment: str) -> None:
    if segment == "":
        raise UnsafePath("empty segments ('//') are not allowed")
    if segment in {".", ".."}:
        raise UnsafePath(f"'{segment}' segments are not allowed")
    if len(segment.encode()) > MAX_SEGMENT_BYTES:
        raise UnsafePath(f"a name is longer than {MAX_SEGMENT_BYTES} bytes")


def parse_path(raw: str) -> RepoPath:
    """The checked path for `raw` (the URL path below the repository, percent-decoded).

    Raises UnsafePath (a 400) with the reason when the path is refused.
    """
    _check_characters(raw)
    if raw.startswith("/"):
        raise UnsafePath("absolute paths are not allowed")
    if len(raw.encode()) > MAX_PATH_BYTES:
        raise UnsafePath(f"the path is longer than {MAX_PATH_BYTES} bytes")
    if raw == "":
        return RepoPath((), folder=True)
    folder = raw.endswith("/")
    segments = tuple((raw[:-1] if folder else raw).split("/"))
    for segment in segments:
        _check_segment(segment)
    return RepoPath(segments, folder=folder)
