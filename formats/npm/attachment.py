"""The tarball inside a publish body: base64 decoded in chunks into a temporary file."""

import binascii
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from formats.npm.body import BadBody, BodyTooLarge, JsonBody


def decode_base64(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Strict base64 decoding of a stream, a few quartets at a time."""
    pending = b""
    padded = False
    for chunk in chunks:
        data = pending + chunk
        usable = len(data) - len(data) % 4
        pending = data[usable:]
        if not usable:
            continue
        if padded:
            raise BadBody("attachment data is not valid base64")
        try:
            decoded = binascii.a2b_base64(data[:usable], strict_mode=True)
        except binascii.Error:
            raise BadBody("attachment data is not valid base64") from None
        padded = data[usable - 1 : usable] == b"="
        yield decoded
    if pending:
        raise BadBody("attachment data is not valid base64")


def _encoded_chunks(body: JsonBody, data: object) -> Iterable[bytes]:
    spooled = body.spooled_string(data)
    if spooled is not None:
        if spooled.has_escapes:
            raise BadBody("attachment data must be plain base64 without escapes")
        return spooled.chunks()
    if not isinstance(data, str):
        raise BadBody("attachment data must be a base64 string")
    try:
        return [data.encode("ascii")]
    except UnicodeEncodeError:
        raise BadBody("attachment data is not valid base64") from None


def decode_attachment(body: JsonBody, attachment: dict, max_bytes: int) -> tuple[IO[bytes], int]:
    """The attachment's bytes in a temporary file (positioned at 0) and their length.

    The declared `length`, when sent, must match what the data decodes to.
    """
    output = tempfile.TemporaryFile()  # noqa: SIM115 - returned to the caller, who closes it
    size = 0
    try:
        for piece in decode_base64(_encoded_chunks(body, attachment.get("data"))):
            size += len(piece)
            if size > max_bytes:
                raise BodyTooLarge(max_bytes)
            output.write(piece)
        declared = attachment.get("length")
        if declared is not None and declared != size:
            raise BadBody(f"attachment length {declared!r} does not match its data ({size} bytes)")
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output, size
