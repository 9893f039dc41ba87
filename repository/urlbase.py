"""Absolute URLs on the host the client used (or the configured public URL)."""

from typing import Any

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


def _repository_prefix(repository) -> str:
    return f"{BASE_PLACEHOLDER}/repository/{repository.name}/"


def moved_to_group(data: Any, member, group) -> Any:
    """A member's document data with its absolute URLs moved from the member's root to the
    group's, so clients fetch every file through the group (and the group's credentials)."""
    old, new = _repository_prefix(member), _repository_prefix(group)
    if isinstance(data, str):
        return new + data[len(old) :] if data.startswith(old) else data
    if isinstance(data, dict):
        return {key: moved_to_group(value, member, group) for key, value in data.items()}
    if isinstance(data, list):
        return [moved_to_group(value, member, group) for value in data]
    return data
