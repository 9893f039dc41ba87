"""Pinning a version from its package page (the repository's admins): no policy deletes it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from repository.formats import get_format
from repository.models import Version
from repository.retention.policies import pin_version, unpin_version
from repository.ui.access import administered_repository, not_found


@require_POST
def version_pin(request: HttpRequest, name: str, package_name: str, version: str) -> HttpResponse:
    repository = administered_repository(request, name)
    if repository is None:
        return not_found(request)
    fmt = get_format(repository.format)
    found = Version.objects.filter(
        package__repository=repository,
        package__name=fmt.normalize_name(package_name),
        version=version,
    ).first()
    if found is None:
        return not_found(request)
    if request.POST.get("pinned") == "1":
        pin_version(found, reason=request.POST.get("reason", ""), request=request)
        messages.success(request, f"Pinned {version}: no retention policy will delete it.")
    else:
        unpin_version(found, request=request)
        messages.success(request, f"Unpinned {version}.")
    return redirect("ui:package-detail", name=repository.name, package_name=found.package.name)
