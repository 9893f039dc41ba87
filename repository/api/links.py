"""Absolute URLs in API answers, on the host the client used (or the configured public URL)."""

from django.urls import reverse

from repository.models import Asset
from repository.urlbase import base_url


def api_url(request, view_name: str, **kwargs) -> str:
    return base_url(request) + reverse(f"api:{view_name}", kwargs=kwargs)


def download_url(request, asset: Asset, repository_name: str) -> str:
    """The file at its format's native URL, where clients download it."""
    path = reverse("repository", kwargs={"name": repository_name, "path": asset.path})
    return base_url(request) + path
