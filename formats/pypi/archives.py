"""Reading the core metadata file out of an uploaded distribution, trusting nothing in it.

The archive comes from the uploader: it may be truncated, expand to gigabytes (a zip or gzip
bomb), or hold members like `../../etc/passwd` that would escape an installer's target
directory. We never extract anything; we only read one small member, with every size bounded,
and refuse archives whose member paths could escape.
"""

import gzip
import posixpath
import re
import tarfile
import zipfile
import zlib
from typing import BinaryIO

from packaging.utils import canonicalize_name

from repository.archives import unsafe_member_name
from repository.refusals import Refusal

# A METADATA/PKG-INFO file holds the long description; 8 MiB is far beyond any real one.
MAX_METADATA_BYTES = 8 * 1024**2
# An archive may expand to this many times its size, or to the floor below, not more.
MAX_EXPANSION_RATIO = 100
MIN_EXPANSION_ALLOWANCE = 64 * 1024**2

_WHEEL_METADATA = re.compile(r"^(?P<dist_info>[^/]+)\.dist-info/METADATA$")


def expansion_allowance(compressed_size: int) -> int:
    return max(MIN_EXPANSION_ALLOWANCE, MAX_EXPANSION_RATIO * compressed_size)


def check_member_name(name: str) -> None:
    """Refuse absolute paths and `..` components: they escape an extraction directory."""
    if unsafe_member_name(name):
        raise Refusal(400, f"Unsafe path in archive: {name!r}", label="path-traversal")


def _check_link(member: tarfile.TarInfo) -> None:
    target = member.linkname
    base = posixpath.dirname(member.name) if member.issym() else ""
    resolved = posixpath.normpath(posixpath.join(base, target))
    if target.startswith("/") or resolved == ".." or resolved.startswith("../"):
        raise Refusal(400, f"Unsafe link in archive: {member.name!r}", label="path-traversal")


def _bounded_read(stream: BinaryIO, declared_size: int) -> bytes:
    if declared_size > MAX_METADATA_BYTES:
        raise Refusal(400, "Metadata file is too large", label="metadata-too-large")
    data = stream.read(MAX_METADATA_BYTES + 1)
    if len(data) > MAX_METADATA_BYTES:
        raise Refusal(400, "Metadata file is too large", label="metadata-too-large")
    return data


def _is_sdist_pkg_info(name: str) -> bool:
    parts = name.strip("/").split("/")
    return len(parts) == 2 and parts[1] == "PKG-INFO"


def _wheel_member(infos: list[zipfile.ZipInfo], project: str) -> zipfile.ZipInfo:
    found = [info for info in infos if _WHEEL_METADATA.match(info.filename)]
    if len(found) != 1:
        raise Refusal(
            400, "Wheel must contain exactly one .dist-info/METADATA file", label="invalid-archive"
        )
    dist_info = _WHEEL_METADATA.match(found[0].filename)["dist_info"]
    if canonicalize_name(dist_info.rpartition("-")[0]) != canonicalize_name(project):
        raise Refusal(
            400,
            f"Wheel's .dist-info directory {dist_info!r} does not match",
            label="invalid-archive",
        )
    return found[0]


def _from_zip(fileobj: BinaryIO, size: int, wheel_project: str | None) -> bytes:
    with zipfile.ZipFile(fileobj) as archive:
        infos = archive.infolist()
        names = set()
        for info in infos:
            check_member_name(info.filename)
            if info.filename in names:
                raise Refusal(
                    400, f"Duplicate member in archive: {info.filename!r}", label="invalid-archive"
                )
            names.add(info.filename)
        if sum(info.file_size for info in infos) > expansion_allowance(size):
            raise Refusal(400, "Archive expands too much (decompression bomb?)", label="zip-bomb")
        if wheel_project is not None:
            member = _wheel_member(infos, wheel_project)
        else:
            member = next((i for i in infos if _is_sdist_pkg_info(i.filename)), None)
            if member is None:
                raise Refusal(400, "sdist has no PKG-INFO file", label="invalid-archive")
        with archive.open(member) as stream:
            return _bounded_read(stream, member.file_size)


class _BoundedStream:
    """A read-only stream that fails once more than `limit` bytes have been asked of it."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        self._raw = raw
        self._remaining = limit

    def read(self, size: int = -1) -> bytes:
        wanted = self._remaining + 1 if size < 0 else min(size, self._remaining + 1)
        data = self._raw.read(wanted)
        self._remaining -= len(data)
        if self._remaining < 0:
            raise Refusal(400, "Archive expands too much (decompression bomb?)", label="zip-bomb")
        return data


def _from_tar_gz(fileobj: BinaryIO, size: int) -> bytes:
    found = None
    stream = _BoundedStream(gzip.GzipFile(fileobj=fileobj, mode="rb"), expansion_allowance(size))
    with tarfile.open(fileobj=stream, mode="r|") as archive:  # type: ignore[call-overload]
        for member in archive:
            check_member_name(member.name)
            if member.issym() or member.islnk():
                _check_link(member)
            elif not (member.isfile() or member.isdir()):
                raise Refusal(
                    400,
                    f"Unsupported member type in archive: {member.name!r}",
                    label="invalid-archive",
                )
            if found is None and member.isfile() and _is_sdist_pkg_info(member.name):
                found = _bounded_read(archive.extractfile(member), member.size)
    if found is None:
        raise Refusal(400, "sdist has no PKG-INFO file", label="invalid-archive")
    return found


_BROKEN = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    tarfile.TarError,
    gzip.BadGzipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
)


def read_core_metadata(fileobj: BinaryIO, filename: str, size: int, project: str) -> bytes:
    """The exact bytes of the wheel's METADATA or the sdist's PKG-INFO."""
    fileobj.seek(0)
    try:
        if filename.endswith(".whl"):
            return _from_zip(fileobj, size, wheel_project=project)
        if filename.endswith(".zip"):
            return _from_zip(fileobj, size, wheel_project=None)
        if filename.endswith(".tar.gz"):
            return _from_tar_gz(fileobj, size)
    except Refusal:
        raise
    except _BROKEN as exc:
        raise Refusal(
            400, f"Invalid distribution file: {exc.__class__.__name__}", label="invalid-archive"
        ) from exc
    finally:
        fileobj.seek(0)
    raise Refusal(400, f"Unsupported file type: {filename}", label="invalid-filetype")
