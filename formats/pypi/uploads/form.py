"""Step 1: read the multipart form twine, uv and poetry send, refusing what cannot work."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError

from repository.refusals import Refusal

# Room for the form fields around the file (the long description travels twice).
FORM_OVERHEAD_BYTES = 16 * 1024**2
DIGEST_FIELDS = {"sha256": "sha256_digest", "blake2b_256": "blake2_256_digest", "md5": "md5_digest"}


@dataclass(frozen=True)
class UploadForm:
    name: str
    version: str
    filetype: str
    content: UploadedFile
    # Blob digest attribute -> hex digest the client claims, for every digest it sent.
    digests: dict[str, str]

    @property
    def filename(self) -> str:
        return self.content.name or ""


def check_declared_size(request: HttpRequest) -> None:
    """Refuse an oversized upload from its Content-Length, before the body is read."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise Refusal(400, "Invalid Content-Length", label="bad-request") from None
    limit = settings.LARDER_MAX_UPLOAD_BYTES
    if declared > limit + FORM_OVERHEAD_BYTES:
        raise Refusal(413, f"Upload exceeds the limit of {limit} bytes", label="too-large")


def _fields(request: HttpRequest):
    try:
        return request.POST, request.FILES
    except (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent) as exc:
        raise Refusal(400, f"Malformed upload form: {exc}", label="bad-request") from exc


def read_form(request: HttpRequest) -> UploadForm:
    post, files = _fields(request)
    action = post.get(":action", "")
    if action != "file_upload":
        raise Refusal(400, f"Unsupported :action {action!r}", label="bad-action")
    if post.get("protocol_version", "1") != "1":
        raise Refusal(400, "Unknown protocol_version", label="bad-request")
    content = files.get("content")
    if content is None:
        raise Refusal(400, "Upload has no file in the 'content' field", label="bad-request")
    missing = [field for field in ("name", "version", "filetype") if not post.get(field)]
    if missing:
        raise Refusal(400, f"Missing form field(s): {', '.join(missing)}", label="bad-request")
    digests = {
        attribute: post[field].strip().lower()
        for attribute, field in DIGEST_FIELDS.items()
        if post.get(field, "").strip()
    }
    if not digests:
        raise Refusal(
            400,
            "Include at least one message digest (sha256_digest or blake2_256_digest)",
            label="no-digest",
        )
    return UploadForm(
        name=post["name"],
        version=post["version"],
        filetype=post["filetype"],
        content=content,
        digests=digests,
    )
