"""Who may see what in the UI.

A repository the visitor may not read answers exactly like one that does not exist (404, for
anonymous visitors and signed-in outsiders alike), so the UI never reveals private names. The
404 page offers anonymous visitors a way to log in.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from repository.access.permissions import has_role
from repository.models import Repository, Role


def readable_repository(request: HttpRequest, name: str) -> Repository | None:
    """The repository if it exists and this request may read it; otherwise None."""
    repository = Repository.objects.filter(name=name).first()
    if repository is None or not has_role(request, repository, Role.READER):
        return None
    return repository


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "ui/not_found.html", status=404)
