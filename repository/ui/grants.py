"""Grants in the UI: a repository's admins manage that repository's grants, superusers the
grants on all repositories. Every change goes through the audited role services."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from repository.access.permissions import has_role
from repository.models import Repository, RepositoryRole, Role
from repository.services.roles import grant_role, revoke_role
from repository.ui.access import not_found, readable_repository
from repository.ui.forms import GrantForm
from repository.ui.guards import forbidden, signed_in, superuser_only


def _grants(repository: Repository | None):
    return (
        RepositoryRole.objects.filter(repository=repository)
        .select_related("user", "group")
        .order_by("role", "user__username", "group__name")
    )


def _page(request, repository: Repository | None, form: GrantForm, status: int = 200):
    return render(
        request,
        "ui/grants.html",
        {"repository": repository, "grants": _grants(repository), "form": form},
        status=status,
    )


def _add(request, repository: Repository | None, back: str) -> HttpResponse:
    form = GrantForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        subject = {"username" if data["subject_type"] == "user" else "group_name": data["subject"]}
        try:
            grant_role(repository, data["role"], request=request, **subject)
        except ValueError as exc:
            form.add_error("subject", str(exc))
    if form.errors:
        return _page(request, repository, form, status=400)
    return redirect(back)


def _admin_repository(request: HttpRequest, name: str):
    """(repository, None) for its admins; (None, the answer) for everyone else."""
    repository = readable_repository(request, name)
    if repository is None:
        return None, not_found(request)
    if not has_role(request, repository, Role.ADMIN):
        return None, forbidden(request, f"Only admins of {name} manage its grants.")
    return repository, None


@signed_in
@require_http_methods(["GET", "HEAD", "POST"])
def repository_grants(request: HttpRequest, name: str) -> HttpResponse:
    repository, refusal = _admin_repository(request, name)
    if refusal is not None:
        return refusal
    if request.method == "POST":
        return _add(request, repository, request.path)
    return _page(request, repository, GrantForm())


@signed_in
@require_POST
def repository_grant_remove(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    repository, refusal = _admin_repository(request, name)
    if refusal is not None:
        return refusal
    revoke_role(get_object_or_404(_grants(repository), pk=pk), request=request)
    return redirect("ui:repository-grants", name=repository.name)


@superuser_only
@require_http_methods(["GET", "HEAD", "POST"])
def global_grants(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _add(request, None, request.path)
    return _page(request, None, GrantForm())


@superuser_only
@require_POST
def global_grant_remove(request: HttpRequest, pk: int) -> HttpResponse:
    revoke_role(get_object_or_404(_grants(None), pk=pk), request=request)
    return redirect(reverse("ui:global-grants"))
