"""Proxy repositories in the UI: creating one (admins of all repositories), changing its
settings and exempting a package from its cooldown (its admins), and what its pages show
of the upstream. The checks and the audit are the repository services'."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from repository.access.permissions import has_role
from repository.formats import get_format
from repository.models import Package, Repository, Role
from repository.proxy.settings import proxy_settings, public_proxy_settings
from repository.proxy.status import UpstreamStatus, upstream_status
from repository.services.proxies import set_cooldown_exemption
from repository.services.repositories import create_repository, update_repository
from repository.ui.access import administered_repository, for_global_admins, not_found
from repository.ui.proxy_form import NewProxyForm, ProxyForm


@dataclass(frozen=True)
class Upstream:
    """A proxy's upstream as its repository page shows it."""

    settings: dict
    status: UpstreamStatus


def upstream_of(repository: Repository) -> Upstream | None:
    if repository.kind != Repository.Kind.PROXY:
        return None
    shown = public_proxy_settings(repository.settings["proxy"])
    return Upstream(shown, upstream_status(repository))


@dataclass(frozen=True)
class Cooldown:
    """What a proxied package's page says of the cooldown."""

    days: int
    held_back: list[str]
    exempt: bool
    may_exempt: bool


def cooldown_of(request: HttpRequest, package: Package) -> Cooldown | None:
    repository = package.repository
    if repository.kind != Repository.Kind.PROXY:
        return None
    settings = proxy_settings(repository.settings["proxy"])
    if not settings.cooldown_days:
        return None
    return Cooldown(
        days=settings.cooldown_days,
        held_back=package.metadata.get("proxy", {}).get("held_back", []),
        exempt=not settings.held_back(package.name),
        may_exempt=has_role(request, repository, Role.ADMIN),
    )


def _proxy_page(request, form, repository: Repository | None) -> HttpResponse:
    return render(request, "ui/proxy_form.html", {"form": form, "repository": repository})


@for_global_admins
@require_http_methods(["GET", "POST"])
def proxy_new(request: HttpRequest) -> HttpResponse:
    form = NewProxyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            repository = create_repository(
                data["name"],
                data["format"],
                kind=Repository.Kind.PROXY,
                private=data["private"],
                request=request,
                description=data["description"],
                settings={"proxy": form.proxy_settings()},
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Proxy repository {repository.name} created.")
            return redirect("ui:repository-detail", name=repository.name)
    return _proxy_page(request, form, None)


@require_http_methods(["GET", "POST"])
def proxy_edit(request: HttpRequest, name: str) -> HttpResponse:
    repository = administered_repository(request, name)
    if repository is None or repository.kind != Repository.Kind.PROXY:
        return not_found(request)
    form = ProxyForm(request.POST or None, stored=repository.settings["proxy"])
    if request.method == "POST" and form.is_valid():
        settings = {**repository.settings, "proxy": form.proxy_settings()}
        try:
            update_repository(repository, request=request, settings=settings)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Settings of {repository.name} saved.")
            return redirect("ui:repository-detail", name=repository.name)
    return _proxy_page(request, form, repository)


@require_POST
def cooldown_exemption(request: HttpRequest, name: str, package_name: str) -> HttpResponse:
    repository = administered_repository(request, name)
    if repository is None or repository.kind != Repository.Kind.PROXY:
        return not_found(request)
    package_name = get_format(repository.format).normalize_name(package_name)
    if not Package.objects.filter(repository=repository, name=package_name).exists():
        return not_found(request)
    exempt = request.POST.get("exempt") == "1"
    asked = set_cooldown_exemption(repository, package_name, exempt=exempt, request=request)
    if not exempt:
        messages.success(request, f"{package_name} waits out the cooldown again.")
    elif asked:
        messages.success(request, f"{package_name} is exempt from the cooldown.")
    else:
        messages.warning(
            request,
            f"{package_name} is exempt from the cooldown; the upstream could not be asked "
            "now, so its new versions come in with the next refresh.",
        )
    return redirect("ui:package-detail", name=repository.name, package_name=package_name)
