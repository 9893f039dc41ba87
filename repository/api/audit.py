"""The audit trail, read-only: global admins see every event, a repository's admins that
repository's. Filters: actor, action (prefix), repository, outcome, since, until;
`?export=csv` streams the filtered events as CSV. No method changes or deletes an event."""

from django.http import StreamingHttpResponse
from rest_framework import mixins, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.viewsets import GenericViewSet

from repository.api.pagination import Pages
from repository.auditlog import AuditFilter, csv_rows, visible_events
from repository.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_name")
    repository = serializers.CharField(source="repository_name")
    address = serializers.IPAddressField(source="remote_addr")

    class Meta:
        model = AuditEvent
        fields = ["id", "created", "actor", "action", "outcome", "repository", "target"]
        fields += ["address", "details"]
        read_only_fields = fields


class AuditEventViewSet(mixins.ListModelMixin, GenericViewSet):
    serializer_class = AuditEventSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    pagination_class = Pages
    filterset_class = AuditFilter

    def get_queryset(self):
        events = visible_events(self.request)
        if events is None:
            raise PermissionDenied("the audit trail is for administrators")
        return events

    def list(self, request, *args, **kwargs):
        if request.query_params.get("export") == "csv":
            events = self.filter_queryset(self.get_queryset())
            response = StreamingHttpResponse(csv_rows(events.iterator()), content_type="text/csv")
            response["Content-Disposition"] = 'attachment; filename="larder-audit.csv"'
            return response
        return super().list(request, *args, **kwargs)
