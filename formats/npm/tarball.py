"""Reading what a package tarball says about itself, safely.

The tarball's own package.json is the truth about a publish, whatever the JSON around it
claims. The archive is read as a stream and never extracted: we only count its files, read
the package.json and README of its top-level folder, and refuse archives that are not gzip'd
tar, escape their directory, or unpack to absurd sizes.

`npm pack` puts everything under `package/`, but older tools used other names (`@types/ms`
0.7.34 is under `ms/`), and npm installs any of them: it strips the first path component.
So the package is whatever single folder the archive holds; more than one is ambiguous.
"""

import gzip
import json
import posixpath
import re
import tarfile
import zlib
from dataclasses import dataclass, field
from typing import IO, Any

from repository.refusals import Refusal

MAX_MANIFEST_BYTES = 1024 * 1024
MAX_README_BYTES = 1024 * 1024
MAX_ENTRIES = 100_000
MAX_UNPACKED_BYTES = 4 * 1024**3

_README = re.compile(r"^readme(\.[a-z0-9]+)?$", re.IGNORECASE)
_GZIP_MAGIC = b"\x1f\x8b"


class BadTarball(Refusal):
    """The upload is not a package tarball we accept; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message, label="bad-tarball")


@dataclass
class TarballFacts:
    manifest: dict[str, Any]
    file_count: int = 0
    unpacked_size: int = 0
    readme: str = ""
    readme_filename: str = ""
    top_level_files: set[str] = field(default_factory=set)

    @property
    def has_shrinkwrap(self) -> bool:
        return "npm-shrinkwrap.json" in self.top_level_files

    @property
    def has_binding_gyp(self) -> bool:
        return "binding.gyp" in self.top_level_files


def _safe_member_path(name: str) -> str:
    """The member's path relative to the archive root; BadTarball if it could escape."""
    if name.startswith("/") or "\\" in name or "\x00" in name:
        raise BadTarball(f"tarball member {name!r} has an unsafe path")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise BadTarball(f"tarball member {name!r} has an unsafe path")
    return posixpath.join(*parts) if parts else ""


def _check_link_target(name: str, target: str) -> None:
    resolved = posixpath.normpath(target)
    if resolved.startswith(("/", "../")) or resolved == "..":
        raise BadTarball(f"tarball link {name!r} points outside the package")


def _read_member(archive: tarfile.TarFile, member: tarfile.TarInfo, limit: int) -> bytes:
    handle = archive.extractfile(member)
    return handle.read(limit) if handle is not None else b""


def _parse_manifest(raw: bytes, path: str) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadTarball(f"{path} is not valid JSON") from None
    if not isinstance(manifest, dict):
        raise BadTarball(f"{path} must contain a JSON object")
    return manifest


def _top_folder(member: tarfile.TarInfo, path: str) -> str | None:
    """The top-level folder the member lies in (or is); None for a file at the root."""
    top, slash, _ = path.partition("/")
    return top if (slash or member.isdir()) and top else None


def inspect_tarball(fileobj: IO[bytes]) -> TarballFacts:
    """Facts about a package tarball, read in one pass; raises BadTarball."""
    if fileobj.read(2) != _GZIP_MAGIC:
        raise BadTarball("the tarball is not gzip-compressed")
    fileobj.seek(0)
    manifest: dict[str, Any] | None = None
    facts = TarballFacts(manifest={})
    package_folder: str | None = None
    entries = 0
    try:
        with tarfile.open(fileobj=fileobj, mode="r|gz") as archive:
            for member in archive:
                entries += 1
                if entries > MAX_ENTRIES:
                    raise BadTarball(f"the tarball has more than {MAX_ENTRIES} entries")
                path = _safe_member_path(member.name)
                if member.issym() or member.islnk():
                    base = posixpath.dirname(path) if member.issym() else ""
                    _check_link_target(member.name, posixpath.join(base, member.linkname))
                folder = _top_folder(member, path)
                if folder is not None and package_folder not in (None, folder):
                    raise BadTarball(
                        "the tarball has more than one top-level folder "
                        f"({package_folder}/, {folder}/): npm would merge them"
                    )
                package_folder = package_folder or folder
                if not member.isfile():
                    continue
                facts.file_count += 1
                facts.unpacked_size += member.size
                if facts.unpacked_size > MAX_UNPACKED_BYTES:
                    raise BadTarball(f"the tarball unpacks to more than {MAX_UNPACKED_BYTES} bytes")
                _, _, inner = path.partition("/")
                if folder is None or not inner or "/" in inner:
                    continue
                facts.top_level_files.add(inner)
                if inner == "package.json":
                    if member.size > MAX_MANIFEST_BYTES:
                        raise BadTarball(f"{path} is too large")
                    raw = _read_member(archive, member, MAX_MANIFEST_BYTES)
                    manifest = _parse_manifest(raw, path)
                elif _README.match(inner) and not facts.readme_filename:
                    raw = _read_member(archive, member, MAX_README_BYTES)
                    facts.readme = raw.decode("utf-8", errors="replace")
                    facts.readme_filename = inner
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
        raise BadTarball(f"the tarball is not a valid gzip'd tar archive ({exc})") from None
    if manifest is None:
        raise BadTarball("the tarball has no package.json in its top-level folder")
    facts.manifest = manifest
    return facts
