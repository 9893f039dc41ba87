"""Absolute URLs on the host the client used (or the configured public URL)."""

from django.conf import settings
from django.http import HttpRequest

# Stored documents hold this where their absolute URLs begin; it is replaced by base_url()
# per request, so one stored document serves every host name.
BASE_PLACEHOLDER = "@@LARDER_BASE_URL@@"


def base_url(request: HttpRequest) -> str:
    """Scheme and host without a trailing slash; X-Forwarded-* only when trusted (settings)."""
    if settings.LARDER_PUBLIC_URL:
        return settings.LARDER_PUBLIC_URL
    return f"{request.scheme}://{request.get_host()}"


def repository_url(request: HttpRequest, repository) -> str:
    """The repository's root URL, with a trailing slash."""
    return f"{base_url(request)}/repository/{repository.name}/"
