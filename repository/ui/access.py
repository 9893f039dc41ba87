"""Who may see what in the UI.

A repository the visitor may not read answers exactly like one that does not exist (404, for
anonymous visitors and signed-in outsiders alike), so the UI never reveals private names. The
404 page offers anonymous visitors a way to log in.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from repository.access.permissions import has_global_role, has_role
from repository.models import Repository, Role


def readable_repository(request: HttpRequest, name: str) -> Repository | None:
    """The repository if it exists and this request may read it; otherwise None."""
    repository = Repository.objects.filter(name=name).first()
    if repository is None or not has_role(request, repository, Role.READER):
        return None
    return repository


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "ui/not_found.html", status=404)


def for_global_admins(view: Callable) -> Callable:
    """Pages for admins of all repositories (retention, storage): others are sent to log in,
    or told they may not."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not has_global_role(request, Role.ADMIN):
            return render(request, "ui/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def administered_repository(request: HttpRequest, name: str) -> Repository | None:
    """The repository if this request holds its admin role (readers see a 404 too)."""
    repository = readable_repository(request, name)
    if repository is None or not has_role(request, repository, Role.ADMIN):
        return None
    return repository
