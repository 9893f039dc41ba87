"""The storage dashboard: each repository's figures, and a chart of growth over 30 days."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from repository.models import Repository
from repository.retention.figures import GROWTH_DAYS, figures
from repository.ui.access import for_global_admins
from repository.ui.chart import growth_chart


@for_global_admins
@require_safe
def storage(request: HttpRequest) -> HttpResponse:
    rows = figures(list(Repository.objects.order_by("name")))
    totals = {
        name: sum(getattr(row, name) for row in rows)
        for name in ("stored_bytes", "unique_bytes", "trash_bytes", "packages", "versions", "files")
    }
    chart = growth_chart(
        {row.repository.name: row.history for row in rows}, timezone.now().date(), GROWTH_DAYS
    )
    return render(request, "ui/storage.html", {"rows": rows, "totals": totals, "chart": chart})
