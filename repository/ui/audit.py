"""The audit trail in the UI: filter, page, export as CSV. Read-only: there is nothing here
(or anywhere) to change or delete an event."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from repository.auditlog import AuditFilter, csv_rows, visible_events
from repository.ui.guards import forbidden, signed_in
from repository.ui.pagination import paginate

EVENTS_PER_PAGE = 50


@signed_in
@require_safe
def audit_list(request: HttpRequest) -> HttpResponse:
    events = visible_events(request)
    if events is None:
        return forbidden(request, "The audit trail is for administrators.")
    filtered = AuditFilter(request.GET, queryset=events)
    if request.GET.get("export") == "csv":
        response = StreamingHttpResponse(csv_rows(filtered.qs.iterator()), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="larder-audit.csv"'
        return response
    query = request.GET.copy()
    query["export"] = "csv"
    query.pop("page", None)
    return render(
        request,
        "ui/audit.html",
        {
            "filter": filtered,
            "pager": paginate(request, filtered.qs, EVENTS_PER_PAGE),
            "csv_url": "?" + query.urlencode(),
        },
        status=400 if filtered.errors else 200,
    )
