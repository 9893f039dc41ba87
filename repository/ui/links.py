"""Where the UI links to: files are downloaded from the format's native URL."""

from collections.abc import Iterable

from django.urls import reverse

from repository.models import Asset, Repository


def native_url(repository: Repository, path: str = "") -> str:
    """A path below /repository/<name>/, percent-encoded as the dispatcher expects."""
    return reverse("repository", kwargs={"name": repository.name, "path": path})


def attach_download_urls(repository: Repository, assets: Iterable[Asset]) -> None:
    """Set `download_url` on each asset (reverse() encodes '#', '?' and spaces in paths)."""
    for asset in assets:
        asset.download_url = native_url(repository, asset.path)
