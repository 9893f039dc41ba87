"""Absolute URLs of files and folders, on the host the client used."""

from django.http import HttpRequest
from django.urls import reverse

from repository.models import Repository
from repository.urlbase import base_url


def native_url(request: HttpRequest, repository: Repository, path: str = "") -> str:
    """`path` below the repository, percent-encoded (reverse() escapes '#', '?', spaces)."""
    return base_url(request) + reverse("repository", kwargs={"name": repository.name, "path": path})
