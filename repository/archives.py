"""Archive member names that must never be trusted, for every format that reads archives.

An installer extracting `../../etc/passwd`, `/etc/passwd` or `C:\\evil` writes outside its
target directory. Larder never extracts, but it refuses to keep or serve metadata from an
archive holding such names (uploads and upstream files alike).
"""

import re

_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_member_name(name: str) -> bool:
    """True for absolute paths, drive letters, NUL bytes and `..` components."""
    parts = name.replace("\\", "/").split("/")
    return "\0" in name or name.startswith(("/", "\\")) or bool(_DRIVE.match(name)) or ".." in parts
