"""Checksums a client declares on upload (X-Checksum-*), checked against what arrived.

The headers are read before the body, so a malformed one is refused before any byte is
stored; the comparison after the upload uses hmac.compare_digest.
"""

import hmac
import re

from django.http import HttpRequest

from repository.models import Blob
from repository.refusals import Refusal

# Header -> (Blob field, hex length).
DECLARABLE = {
    "X-Checksum-Sha256": ("sha256", 64),
    "X-Checksum-Sha1": ("sha1", 40),
    "X-Checksum-Md5": ("md5", 32),
}
_HEX = re.compile(r"^[0-9a-f]+$")


def declared_checksums(request: HttpRequest) -> dict[str, str]:
    """{header: lowercase hex} for each X-Checksum-* header sent; 400 when one is malformed."""
    declared = {}
    for header, (_, length) in DECLARABLE.items():
        value = request.headers.get(header)
        if value is None:
            continue
        value = value.strip().lower()
        if len(value) != length or not _HEX.match(value):
            raise Refusal(400, f"{header} must be {length} hexadecimal digits")
        declared[header] = value
    return declared


def verify_checksums(declared: dict[str, str], blob: Blob) -> None:
    """400 naming the first declared checksum the stored bytes do not have."""
    for header, expected in declared.items():
        field, _ = DECLARABLE[header]
        actual = getattr(blob, field)
        if not hmac.compare_digest(expected.encode(), actual.encode()):
            raise Refusal(
                400,
                f"{header} mismatch: you declared {expected}, the received bytes have "
                f"{actual}; nothing was stored",
            )
