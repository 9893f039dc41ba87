"""Read one member of a zip on an upstream with HTTP range requests, not the whole file.

PEP 658 for every proxied wheel: a wheel's METADATA is a few kilobytes at a known place
(the zip's central directory says where), so resolving a project need not download its
wheels. The zip format itself is left to the standard library's `zipfile`, reading a
file-like object whose reads become range requests (as pip's lazy wheel does): one suffix
range for the end of central directory and, for ordinary wheels, the whole directory; then
one or two ranges for the member. The suffix is large enough to bring most wheels whole:
then no other request is needed, and the caller may keep the bytes as the file (the
client downloads the wheel it resolved right after). Every size is bounded (a hostile
upstream may declare a gigabyte member or a zip bomb), every member name is checked like
an upload's, and the member's CRC is verified by zipfile.

A server that answers a range request with the whole file raises RangesRefused before
its body is read, so the caller can fall back to fetching (and caching) the whole file.
"""

import io
import zipfile
import zlib
from collections.abc import Callable

from repository.archives import unsafe_member_name
from repository.proxy.client import UpstreamClient, Validators, loggable
from repository.proxy.errors import UpstreamError

TAIL_BYTES = 512 * 1024  # the end of central directory, the directory, most wheels whole
BLOCK_BYTES = 64 * 1024  # the least fetched at once: a local header and its member
MAX_MEMBER_BYTES = 8 * 1024**2  # a METADATA file far beyond any real one
MAX_FETCH_BYTES = 32 * 1024**2  # everything fetched for one member, directory included
MAX_MEMBERS = 100_000


class RangesRefused(Exception):
    """The upstream does not answer range requests for this file."""


class RemoteArchiveError(UpstreamError):
    """The upstream's file is not a zip we will read (broken, unsafe, too large)."""

    reason = "bad_archive"


class RemoteFile(io.RawIOBase):
    """A read-only, seekable view of a remote file, fetched in ranges as it is read."""

    def __init__(
        self,
        client: UpstreamClient,
        url: str,
        *,
        tail_bytes: int = TAIL_BYTES,
        budget: int = MAX_FETCH_BYTES,
    ) -> None:
        super().__init__()
        self._client = client
        self.url = url
        self._budget = budget
        self.fetched = 0
        self.requests = 0
        self._segments: list[tuple[int, bytes]] = []
        self._position = 0
        self.validators = Validators()
        self.size = self._fetch_tail(tail_bytes)

    def _fetch_tail(self, tail_bytes: int) -> int:
        with self._client.get(self.url, byte_range=f"bytes=-{tail_bytes}") as response:
            self.requests += 1
            self.validators = response.validators
            if response.status == 206 and response.content_range is not None:
                first, _last, total = response.content_range
                if total is None:
                    raise RemoteArchiveError(f"{loggable(self.url)}: no size in Content-Range")
                self._keep(first, self._read(response))
                return total
            length = response.content_length
            if response.status == 200 and length is not None and length <= tail_bytes:
                self._keep(0, self._read(response))  # small enough: it all came anyway
                return length
        raise RangesRefused(f"{loggable(self.url)} is not served in ranges")

    @property
    def whole(self) -> bytes | None:
        """The file's bytes, if the first read brought all of them."""
        start, data = self._segments[0]
        return data if start == 0 and len(data) == self.size else None

    def _read(self, response) -> bytes:
        data = response.read()
        self.fetched += len(data)
        if self.fetched > self._budget:
            raise RemoteArchiveError(
                f"{loggable(self.url)}: more than {self._budget} bytes needed to read it"
            )
        return data

    def _keep(self, start: int, data: bytes) -> None:
        self._segments.append((start, data))

    def _fetch(self, start: int, length: int) -> bytes:
        end = min(self.size, start + max(length, BLOCK_BYTES)) - 1
        with self._client.get(self.url, byte_range=f"bytes={start}-{end}") as response:
            self.requests += 1
            if response.status != 206 or response.content_range is None:
                raise RangesRefused(f"{loggable(self.url)} stopped answering ranges")
            first, _last, _total = response.content_range
            data = self._read(response)
        if first != start:
            raise RemoteArchiveError(f"{loggable(self.url)}: answered another range")
        self._keep(start, data)
        return data

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        self._position = max(0, base + offset)
        return self._position

    def read(self, size: int = -1) -> bytes:
        if self._position >= self.size:
            return b""
        wanted = self.size - self._position if size is None or size < 0 else size
        wanted = min(wanted, self.size - self._position)
        for start, data in self._segments:
            offset = self._position - start
            if offset >= 0 and offset + wanted <= len(data):
                chunk = data[offset : offset + wanted]
                break
        else:
            chunk = self._fetch(self._position, wanted)[:wanted]
        self._position += len(chunk)
        return chunk

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


Picker = Callable[[list[zipfile.ZipInfo]], zipfile.ZipInfo | None]
# Given the whole file and its validators when the first read brought all of it.
KeepWhole = Callable[[bytes, Validators], None]


def read_remote_member(
    client: UpstreamClient,
    url: str,
    pick: Picker,
    *,
    max_member_bytes: int = MAX_MEMBER_BYTES,
    tail_bytes: int = TAIL_BYTES,
    budget: int = MAX_FETCH_BYTES,
    keep_whole: KeepWhole | None = None,
) -> bytes:
    """The bytes of the member `pick` chooses from the zip at `url` (a format knows which:
    PyPI picks the wheel's one `*.dist-info/METADATA`). `keep_whole` is given the whole
    file when the first read brought all of it and the member was read from it.

    Raises RangesRefused (fall back to the whole file), RemoteArchiveError (nothing to
    serve from this file), or the client's UpstreamErrors.
    """
    remote = RemoteFile(client, url, tail_bytes=tail_bytes, budget=budget)
    try:
        with zipfile.ZipFile(remote) as archive:
            infos = archive.infolist()
            _check_members(url, infos)
            member = pick(infos)
            if member is None:
                raise RemoteArchiveError(f"{loggable(url)}: no such member")
            if member.file_size > max_member_bytes:
                raise RemoteArchiveError(
                    f"{loggable(url)}: {member.filename} declares {member.file_size} bytes"
                )
            if member.compress_type not in {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}:
                raise RemoteArchiveError(f"{loggable(url)}: {member.filename} is not deflated")
            with archive.open(member) as stream:
                data = stream.read(max_member_bytes + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError) as exc:
        raise RemoteArchiveError(f"{loggable(url)}: not a readable zip ({exc!s:.80})") from None
    except (NotImplementedError, RuntimeError) as exc:  # encrypted, unknown compression
        raise RemoteArchiveError(f"{loggable(url)}: {exc!s:.80}") from None
    if len(data) != member.file_size:
        raise RemoteArchiveError(f"{loggable(url)}: {member.filename} is not its declared size")
    whole = remote.whole
    if keep_whole is not None and whole is not None:
        keep_whole(whole, remote.validators)
    return data


def _check_members(url: str, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise RemoteArchiveError(f"{loggable(url)}: more than {MAX_MEMBERS} members")
    names: set[str] = set()
    for info in infos:
        if unsafe_member_name(info.filename):
            raise RemoteArchiveError(f"{loggable(url)}: unsafe member name {info.filename!r}")
        if info.filename in names:
            raise RemoteArchiveError(f"{loggable(url)}: duplicate member {info.filename!r}")
        names.add(info.filename)
