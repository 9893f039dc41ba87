"""Reading the audit trail: who may see which events, the filters the UI and the API share,
and the CSV export. Writing is repository/audit.py's."""

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import datetime

import django_filters
from django.db.models import QuerySet

from repository.access.permissions import administered_repositories
from repository.models import AuditEvent

CSV_COLUMNS = ["created", "actor", "action", "outcome", "repository", "target", "address"]
CSV_COLUMNS += ["details"]


def visible_events(request) -> QuerySet[AuditEvent] | None:
    """Every event for global admins; a repository's events for its admins; None for those
    who administer nothing (they see no audit trail at all)."""
    events = AuditEvent.objects.select_related("actor")
    repositories = administered_repositories(request)
    if repositories is None:
        return events
    names = list(repositories.values_list("name", flat=True))
    if not names:
        return None
    return events.filter(repository_name__in=names)


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_name", label="Actor")
    action = django_filters.CharFilter(lookup_expr="startswith", label="Action")
    repository = django_filters.CharFilter(field_name="repository_name", label="Repository")
    outcome = django_filters.ChoiceFilter(
        choices=AuditEvent.Outcome.choices, label="Outcome", empty_label="Any"
    )
    since = django_filters.IsoDateTimeFilter(
        field_name="created", lookup_expr="gte", label="From (ISO 8601)"
    )
    until = django_filters.IsoDateTimeFilter(
        field_name="created", lookup_expr="lt", label="Until (ISO 8601)"
    )

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "repository", "outcome", "since", "until"]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def csv_rows(events: Iterable[AuditEvent]) -> Iterator[str]:
    """The events as CSV lines, header first, streamed (the trail may be long). Cells that a
    spreadsheet would read as a formula are quoted with a leading apostrophe."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in events:
        cells = [
            _iso(event.created),
            event.actor_name,
            event.action,
            event.outcome,
            event.repository_name,
            event.target,
            event.remote_addr or "",
            json.dumps(event.details, sort_keys=True),
        ]
        yield writer.writerow([_defused(str(cell)) for cell in cells])


def _defused(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
