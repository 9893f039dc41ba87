"""Form uploads (multipart POST to a folder URL): for browsers and for scripts.

Fields: `file` (the file) and optional `path` (below the folder; a value ending in '/'
names a subfolder, the file keeps its own name). A browser signed in with its session
must send the CSRF token; clients sending credentials in headers need none.
"""

from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware

from formats.generic.paths import RepoPath
from repository.refusals import Refusal


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def refuse_cross_site(request: HttpRequest) -> None:
    """403 for a session-authenticated POST without a valid CSRF token."""
    if request.larder.caller.from_header:
        return
    check = _CsrfCheck(lambda _request: None)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        raise Refusal(403, f"CSRF check failed: {reason}")


def uploaded_file(request: HttpRequest, folder: RepoPath):
    """(the UploadedFile, the checked path it goes to) from the form."""
    try:
        uploaded = request.FILES.get("file")
        relative = request.POST.get("path", "")
    except MultiPartParserError as error:
        raise Refusal(400, f"the form could not be read: {error}") from None
    if uploaded is None:
        raise Refusal(400, "send multipart/form-data with the file in a field named 'file'")
    if not relative or relative.endswith("/"):
        relative += uploaded.name
    return uploaded, RepoPath(folder.segments, folder=True).join(relative)
