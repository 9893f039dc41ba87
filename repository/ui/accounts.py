"""Users and groups in the UI, for superusers: make local users, deactivate them, reset
their passwords, see their groups and tokens; make groups and change their members."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from repository.access.tokens import active_tokens
from repository.services import accounts
from repository.ui.forms import GroupForm, MemberForm, NewUserForm, PasswordForm
from repository.ui.guards import superuser_only
from repository.ui.pagination import paginate

USERS_PER_PAGE = 50


def _user_list(request: HttpRequest, form: NewUserForm, status: int = 200) -> HttpResponse:
    users = get_user_model().objects.order_by("username").prefetch_related("groups")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(username__icontains=query)
    return render(
        request,
        "ui/users.html",
        {"pager": paginate(request, users, USERS_PER_PAGE), "form": form, "query": query},
        status=status,
    )


@superuser_only
@require_http_methods(["GET", "HEAD", "POST"])
def user_list(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _user_list(request, NewUserForm())
    form = NewUserForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.create_user(
                data["username"], data["password"], email=data["email"], request=request
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("ui:user-detail", username=user.username)
    return _user_list(request, form, status=400)


def _user_page(request, user, form=None, status: int = 200) -> HttpResponse:
    return render(
        request,
        "ui/user_detail.html",
        {
            "account": user,
            "groups": user.groups.order_by("name"),
            "tokens": active_tokens(user).prefetch_related("repositories"),
            "password_form": form or PasswordForm(),
        },
        status=status,
    )


def _user(username: str):
    return get_object_or_404(get_user_model(), username=username)


@superuser_only
@require_http_methods(["GET", "HEAD"])
def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    return _user_page(request, _user(username))


@superuser_only
@require_POST
def user_active(request: HttpRequest, username: str) -> HttpResponse:
    user = _user(username)
    accounts.set_active(user, request.POST.get("active") == "1", request=request)
    return redirect("ui:user-detail", username=user.username)


@superuser_only
@require_POST
def user_password(request: HttpRequest, username: str) -> HttpResponse:
    user = _user(username)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            accounts.reset_password(user, form.cleaned_data["password"], request=request)
        except ValueError as exc:
            form.add_error("password", str(exc))
        else:
            return redirect("ui:user-detail", username=user.username)
    return _user_page(request, user, form, status=400)


@superuser_only
@require_http_methods(["GET", "HEAD", "POST"])
def group_list(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            group = accounts.create_group(form.cleaned_data["name"], request=request)
        except ValueError as exc:
            form.add_error("name", str(exc))
        else:
            return redirect("ui:group-detail", name=group.name)
    groups = Group.objects.order_by("name").prefetch_related("user_set")
    status = 400 if form.errors else 200
    return render(request, "ui/groups.html", {"groups": groups, "form": form}, status=status)


@superuser_only
@require_http_methods(["GET", "HEAD", "POST"])
def group_detail(request: HttpRequest, name: str) -> HttpResponse:
    group = get_object_or_404(Group, name=name)
    form = MemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.add_member(group, form.cleaned_data["username"], request=request)
        except ValueError as exc:
            form.add_error("username", str(exc))
        else:
            return redirect("ui:group-detail", name=group.name)
    return render(
        request,
        "ui/group_detail.html",
        {
            "group": group,
            "members": group.user_set.order_by("username"),
            "grants": group.repositoryrole_set.select_related("repository").order_by("role"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@superuser_only
@require_POST
def group_member_remove(request: HttpRequest, name: str, username: str) -> HttpResponse:
    group = get_object_or_404(Group, name=name)
    accounts.remove_member(group, _user(username), request=request)
    return redirect("ui:group-detail", name=group.name)
