"""Steps that check the upload against itself: filename, filetype, digests, metadata."""

import hmac
import re

from formats.pypi.metadata import DistFilename, filetype_of, parse_filename
from formats.pypi.uploads.form import UploadForm
from repository.models import Blob
from repository.refusals import Refusal

_SAFE_FILENAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+!-]*$")


def check_filename(form: UploadForm) -> DistFilename:
    """A plain filename of a kind we serve, matching the declared filetype."""
    filename = form.filename
    if not _SAFE_FILENAME.match(filename) or len(filename) > 255:
        raise Refusal(400, f"Invalid filename {filename!r}", label="invalid-filename")
    actual = filetype_of(filename)
    if actual is None or form.filetype not in ("sdist", "bdist_wheel"):
        raise Refusal(
            400,
            f"Unsupported filetype {form.filetype!r} for {filename} "
            "(upload a wheel, .tar.gz or .zip sdist)",
            label="invalid-filetype",
        )
    if actual != form.filetype:
        raise Refusal(
            400,
            f"The filetype {form.filetype!r} does not match the file {filename}",
            label="invalid-filetype",
        )
    return parse_filename(filename)


def verify_digests(form: UploadForm, blob: Blob) -> None:
    """Every digest the client sent must match the bytes we received."""
    for attribute, claimed in form.digests.items():
        if not hmac.compare_digest(claimed.encode(), getattr(blob, attribute).encode()):
            raise Refusal(
                400,
                "The digest supplied does not match a digest calculated from the uploaded file "
                f"({attribute})",
                label="digest-mismatch",
            )
