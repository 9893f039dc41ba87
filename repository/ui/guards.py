"""Who may open the UI's management pages.

Management needs a browser session: credentials in a header (a token, Basic auth) read
packages but never manage accounts, grants or tokens from the UI. Anonymous visitors are sent
to the login page; signed-in visitors without the right get a 403 page.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from repository.access.credentials import caller_of
from repository.access.permissions import has_global_role
from repository.models import Role


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "ui/forbidden.html", {"message": message}, status=403)


def _session_user(request: HttpRequest) -> bool:
    return request.user.is_authenticated and not caller_of(request).from_header


def signed_in(view: Callable) -> Callable:
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not _session_user(request):
            return forbidden(request, "Sign in with a browser session to manage this.")
        return view(request, *args, **kwargs)

    return guarded


def is_superuser(request: HttpRequest) -> bool:
    return _session_user(request) and request.user.is_superuser


def is_global_admin(request: HttpRequest) -> bool:
    return _session_user(request) and has_global_role(request, Role.ADMIN)


def superuser_only(view: Callable) -> Callable:
    @signed_in
    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_superuser:
            return forbidden(request, "Only superusers manage users, groups and global grants.")
        return view(request, *args, **kwargs)

    return guarded
