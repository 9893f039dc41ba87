"""UI pages: parse, authorize, gather, render. Queries live in listings.py and versions.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from repository.access.permissions import has_global_role, has_role
from repository.formats import get_format
from repository.models import Repository, Role
from repository.refusals import Refusal
from repository.ui.access import not_found, readable_repository
from repository.ui.groups import is_proxied, member_rows, provenance, ui_source
from repository.ui.links import attach_download_urls, native_url
from repository.ui.listings import (
    attach_version_summaries,
    loose_files,
    repository_rows,
    search_packages,
)
from repository.ui.pagination import paginate
from repository.ui.partials import optional_template
from repository.ui.proxies import cooldown_of, upstream_of
from repository.ui.quota import quota_warning
from repository.ui.versions import package_versions, pick_latest
from repository.urlbase import repository_url

PACKAGES_PER_PAGE = 50
FILES_PER_PAGE = 50
VERSIONS_PER_PAGE = 25


@require_safe
def repository_list(request: HttpRequest) -> HttpResponse:
    context = {
        "repositories": repository_rows(request),
        "may_create": has_global_role(request, Role.ADMIN),
    }
    return render(request, "ui/repository_list.html", context)


@require_safe
def repository_detail(request: HttpRequest, name: str) -> HttpResponse:
    repository = readable_repository(request, name)
    if repository is None:
        return not_found(request)
    fmt = get_format(repository.format)
    source = ui_source(request, repository)
    query = request.GET.get("q", "").strip()
    packages = paginate(request, search_packages(source.packages(), query), PACKAGES_PER_PAGE)
    attach_version_summaries(fmt, packages)
    files = paginate(request, loose_files(source.assets(), query), FILES_PER_PAGE, "files_page")
    attach_download_urls(repository, files)
    members = member_rows(source)
    return render(
        request,
        "ui/repository_detail.html",
        {
            "repository": repository,
            "format": fmt,
            "repository_url": repository_url(request, repository),
            "native_url": native_url(repository),
            "query": query,
            "has_packages": source.packages().exists(),
            "has_files": loose_files(source.assets(), "").exists(),
            "members": members,
            "upstream": upstream_of(repository),
            "proxied": is_proxied(repository, members),
            "can_reorder": has_role(request, repository, Role.ADMIN),
            "package_pager": packages,
            "file_pager": files,
            "usage_partial": optional_template(fmt.usage_template),
            "can_administer": has_role(request, repository, Role.ADMIN),
            "quota": quota_warning(repository),
        },
    )


@require_safe
def package_detail(request: HttpRequest, name: str, package_name: str) -> HttpResponse:
    repository = readable_repository(request, name)
    if repository is None:
        return not_found(request)
    fmt = get_format(repository.format)
    source = ui_source(request, repository)
    try:
        package = source.package(fmt.normalize_name(package_name))
    except Refusal as refusal:  # a proxy's upstream failing (or offline): say so
        context = {"refusal": refusal, "repository": repository}
        return render(request, "ui/refused.html", context, status=refusal.status)
    if package is None:
        return not_found(request)
    if package.name != package_name:
        return redirect("ui:package-detail", name=repository.name, package_name=package.name)
    versions = package_versions(fmt, package)
    return render(
        request,
        "ui/package_detail.html",
        {
            "repository": repository,
            "format": fmt,
            "package": package,
            "versions": versions,
            "latest_version": pick_latest(fmt, [(v.version, v.yanked) for v in versions]),
            "last_published": max((version.created for version in versions), default=None),
            "version_pager": paginate(request, versions, VERSIONS_PER_PAGE),
            "repository_url": repository_url(request, repository),
            "format_context": fmt.package_context(request, package),
            "provenance": provenance(source, package),
            "may_pin": has_role(request, repository, Role.ADMIN),
            "cooldown": cooldown_of(request, package),
            "proxied": package.repository.kind == Repository.Kind.PROXY,
            "package_partial": optional_template(fmt.package_template),
        },
    )
