"""Reading npm's JSON write bodies without holding a tarball's base64 in memory.

`npm publish` sends one JSON document with the tarball inside as a base64 string. While the
body streams in, every string value longer than LONG_STRING is diverted to a temporary file
and replaced by a placeholder; the rest (small) is parsed with the json module. Only the
string boundaries need tracking for that: outside a string no `"` can occur, and inside one
a backslash escapes exactly the next character.
"""

import json
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from repository.refusals import Refusal

LONG_STRING = 64 * 1024
READ_CHUNK = 256 * 1024
_QUOTE_OR_BACKSLASH = re.compile(rb'["\\]')


class BodyTooLarge(Refusal):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body exceeds the limit of {limit} bytes")


class BadBody(Refusal):
    """The body is not the JSON the endpoint expects."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message, label="bad-body")


@dataclass
class SpooledString:
    """The raw (still JSON-escaped) content of one long string value, in a temporary file."""

    file: IO[bytes]
    has_escapes: bool = False

    def chunks(self, size: int = READ_CHUNK) -> Iterator[bytes]:
        self.file.seek(0)
        while chunk := self.file.read(size):
            yield chunk


@dataclass
class JsonBody:
    document: Any
    spooled: dict[str, SpooledString] = field(default_factory=dict)

    def spooled_string(self, value: object) -> SpooledString | None:
        """The spooled content behind a placeholder value, or None for an ordinary value."""
        return self.spooled.get(value) if isinstance(value, str) else None

    def close(self) -> None:
        for spooled in self.spooled.values():
            spooled.file.close()

    def __enter__(self) -> "JsonBody":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Splitter:
    """Feeds on chunks of JSON; keeps the structure, spools long strings to files."""

    def __init__(self) -> None:
        self.skeleton = bytearray()
        self.spooled: dict[str, SpooledString] = {}
        self._nonce = secrets.token_hex(8)
        self._in_string = False
        self._escape_next = False
        self._short = bytearray()
        self._long: SpooledString | None = None

    def feed(self, chunk: bytes) -> None:
        position, length = 0, len(chunk)
        while position < length:
            if not self._in_string:
                quote = chunk.find(b'"', position)
                if quote < 0:
                    self.skeleton += chunk[position:]
                    return
                self.skeleton += chunk[position:quote]
                self._in_string, position = True, quote + 1
            elif self._escape_next:
                self._content(chunk[position : position + 1])
                self._escape_next, position = False, position + 1
            else:
                special = _QUOTE_OR_BACKSLASH.search(chunk, position)
                if special is None:
                    self._content(chunk[position:])
                    return
                self._content(chunk[position : special.start()])
                position = special.start() + 1
                if chunk[special.start()] == ord("\\"):
                    self._content(b"\\")
                    self._escape_next = True
                    if self._long is not None:
                        self._long.has_escapes = True
                else:
                    self._end_string()

    def _content(self, data: bytes) -> None:
        if self._long is not None:
            self._long.file.write(data)
            return
        self._short += data
        if len(self._short) > LONG_STRING:
            spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by JsonBody.close()
            self._long = SpooledString(spool, has_escapes=b"\\" in self._short)
            self._long.file.write(self._short)
            self._short = bytearray()

    def _end_string(self) -> None:
        self._in_string = False
        if self._long is None:
            self.skeleton += b'"' + self._short + b'"'
            self._short = bytearray()
            return
        placeholder = f"@@larder-spooled-{self._nonce}-{len(self.spooled)}@@"
        self._long.file.flush()
        self.spooled[placeholder] = self._long
        self._long = None
        self.skeleton += b'"' + placeholder.encode() + b'"'

    def finish(self) -> bytes:
        """The JSON with long strings replaced by placeholders."""
        if self._in_string:
            raise BadBody("request body is not valid JSON")
        return bytes(self.skeleton)

    def close_unfinished(self) -> None:
        if self._long is not None:
            self._long.file.close()
        for spooled in self.spooled.values():
            spooled.file.close()


def read_json_body(chunks: Iterable[bytes], max_bytes: int) -> JsonBody:
    """Parse a JSON body, enforcing `max_bytes` while it streams in."""
    splitter = _Splitter()
    received = 0
    try:
        for chunk in chunks:
            received += len(chunk)
            if received > max_bytes:
                raise BodyTooLarge(max_bytes)
            splitter.feed(chunk)
        skeleton = splitter.finish()
        try:
            document = json.loads(skeleton)
        except (ValueError, RecursionError):
            raise BadBody("request body is not valid JSON") from None
    except BaseException:
        splitter.close_unfinished()
        raise
    return JsonBody(document, splitter.spooled)


def request_chunks(request, chunk_size: int = READ_CHUNK) -> Iterator[bytes]:
    """The request body as it arrives, never read whole."""
    while chunk := request.read(chunk_size):
        yield chunk
