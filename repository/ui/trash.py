"""A repository's trash in the UI: browse, restore, purge now (the repository's admins)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from repository.models import TrashEntry
from repository.retention.restore import RestoreRefused, label, purge_entry, restore_entry
from repository.ui.access import administered_repository, not_found
from repository.ui.pagination import paginate

ENTRIES_PER_PAGE = 50


@require_safe
def trash_list(request: HttpRequest, name: str) -> HttpResponse:
    repository = administered_repository(request, name)
    if repository is None:
        return not_found(request)
    entries = TrashEntry.objects.filter(repository=repository).select_related("actor", "run")
    pager = paginate(request, entries.order_by("-trashed", "-pk"), ENTRIES_PER_PAGE)
    for entry in pager:
        entry.label = label(entry)
        entry.files = [asset["path"] for asset in entry.snapshot["assets"]]
    return render(request, "ui/trash.html", {"repository": repository, "pager": pager})


def _entry(request: HttpRequest, name: str, pk: int) -> TrashEntry | None:
    repository = administered_repository(request, name)
    if repository is None:
        return None
    return TrashEntry.objects.filter(repository=repository, pk=pk).first()


@require_POST
def trash_restore(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    entry = _entry(request, name, pk)
    if entry is None:
        return not_found(request)
    try:
        left = restore_entry(entry, request=request)
    except RestoreRefused as refusal:
        messages.error(request, f"{label(entry)} cannot be restored: {refusal}")
    else:
        note = f" (tags left where later publishes put them: {', '.join(left)})" if left else ""
        messages.success(request, f"Restored {label(entry)}{note}.")
    return redirect("ui:trash", name=name)


@require_POST
def trash_purge(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    entry = _entry(request, name, pk)
    if entry is None:
        return not_found(request)
    purge_entry(entry, request=request)
    messages.success(request, f"Purged {label(entry)} for good.")
    return redirect("ui:trash", name=name)
