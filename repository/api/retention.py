"""Retention policies, their previews and runs: for admins of all repositories.

A policy spans repositories, so managing one needs the admin role on all of them (a global
grant). Views parse and authorize; repository/retention/ does the work.
"""

from django.db import transaction
from django.http import StreamingHttpResponse
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from repository.api.access import require_global_admin
from repository.api.errors import Rejected
from repository.api.links import api_url
from repository.api.pagination import Pages
from repository.models import PolicyRun, RetentionPolicy
from repository.retention import policies
from repository.retention.preview import Cursor, action, csv_rows, page, policy_scope
from repository.retention.rules import RULE_FIELDS, Rules
from repository.retention.run import queue_run
from repository.retention.schedules import next_run
from repository.retention.tasks import execute_run

PREVIEW_LIMIT = 100
MAX_PREVIEW_LIMIT = 1000


class PolicySerializer(serializers.ModelSerializer):
    repositories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    next_run = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    preview_url = serializers.SerializerMethodField()
    runs_url = serializers.SerializerMethodField()

    class Meta:
        model = RetentionPolicy
        fields = ["id", "name", "description", "repositories", *RULE_FIELDS]
        fields += ["schedule", "enabled", "next_run", "created", "updated"]
        fields += ["url", "preview_url", "runs_url"]
        read_only_fields = fields

    def _link(self, name: str, policy: RetentionPolicy, key: str = "pk") -> str:
        return api_url(self.context["request"], name, **{key: policy.pk})

    def get_next_run(self, policy: RetentionPolicy):
        when = next_run(policy)
        return when.isoformat() if when else None

    def get_url(self, policy: RetentionPolicy) -> str:
        return self._link("policy-detail", policy)

    def get_preview_url(self, policy: RetentionPolicy) -> str:
        return self._link("policy-preview", policy)

    def get_runs_url(self, policy: RetentionPolicy) -> str:
        return self._link("policy-runs", policy, "policy")


class PolicyChangeSerializer(serializers.Serializer):
    """Types only; meaning (rules that select something, schedules) is the service's."""

    name = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    repositories = serializers.ListField(child=serializers.CharField(), required=False)
    keep_newest = serializers.IntegerField(required=False, allow_null=True)
    older_than_days = serializers.IntegerField(required=False, allow_null=True)
    not_downloaded_days = serializers.IntegerField(required=False, allow_null=True)
    releases = serializers.CharField(required=False)
    name_glob = serializers.CharField(required=False, allow_blank=True)
    cached_not_downloaded_days = serializers.IntegerField(required=False, allow_null=True)
    delete_last_version = serializers.BooleanField(required=False)
    schedule = serializers.CharField(required=False, allow_blank=True)
    enabled = serializers.BooleanField(required=False)

    def validate(self, data: dict) -> dict:
        unknown = set(self.initial_data) - set(self.fields) - {"cursor", "limit"}
        if unknown:
            raise serializers.ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}")
        return data


class RunSerializer(serializers.ModelSerializer):
    policy = serializers.CharField(source="policy.name")
    actor = serializers.CharField(source="actor.username", default=None)
    url = serializers.SerializerMethodField()

    class Meta:
        model = PolicyRun
        fields = ["id", "policy", "trigger", "dry_run", "actor", "status", "created"]
        fields += ["started", "finished", "packages_done", "packages_total"]
        fields += ["versions_deleted", "files_deleted", "files_evicted", "bytes_reclaimed"]
        fields += ["error_count", "errors", "url"]
        read_only_fields = fields

    def get_url(self, run: PolicyRun) -> str:
        return api_url(self.context["request"], "run-detail", pk=run.pk)


def item_json(verb: str, item) -> dict:
    return {
        "repository": item.repository.name,
        "package": item.package.display_name,
        "version": item.version,
        "action": verb,
        "reason": item.reason,
        "files": [{"path": f.path, "size": f.size} for f in item.files],
        "bytes": item.size,
        "reclaimed": item.reclaimed,
    }


def preview_response(request, rules: Rules, repositories: list) -> Response:
    """One page of the preview, with the cursor of the next; or the whole of it as CSV."""
    if request.query_params.get("export") == "csv":
        response = StreamingHttpResponse(csv_rows(rules, repositories), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="retention-preview.csv"'
        return response
    source = request.data if request.method == "POST" else request.query_params
    try:
        cursor = Cursor.decode(source.get("cursor"))
        limit = min(int(source.get("limit") or PREVIEW_LIMIT), MAX_PREVIEW_LIMIT)
    except ValueError as exc:
        raise Rejected(str(exc) if "cursor" in str(exc) else "limit must be a number") from None
    found = page(rules, repositories, cursor, max(limit, 1))
    verb = action(rules)
    return Response(
        {
            "results": [item_json(verb, item) for item in found.items],
            "next_cursor": found.next.encode() if found.next else None,
        }
    )


class PolicyViewSet(mixins.ListModelMixin, GenericViewSet):
    serializer_class = PolicySerializer
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    pagination_class = Pages

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        require_global_admin(request, "manage retention policies")

    def get_queryset(self):
        return RetentionPolicy.objects.prefetch_related("repositories").order_by("name")

    def _policy(self, pk: int) -> RetentionPolicy:
        found = self.get_queryset().filter(pk=pk).first()
        if found is None:
            raise NotFound(f"no retention policy {pk}")
        return found

    def _fields(self, partial: bool) -> dict:
        fields = PolicyChangeSerializer(data=self.request.data, partial=partial)
        fields.is_valid(raise_exception=True)
        data = dict(fields.validated_data)
        if "repositories" in data:
            try:
                data["repositories"] = policies.repositories_named(data["repositories"])
            except ValueError as exc:
                raise Rejected(str(exc)) from None
        return data

    def _answer(self, policy: RetentionPolicy, code=status.HTTP_200_OK) -> Response:
        body = self.get_serializer(self._policy(policy.pk)).data
        return Response(body, status=code, headers={"Location": body["url"]})

    def retrieve(self, request, pk: int) -> Response:
        return Response(self.get_serializer(self._policy(pk)).data)

    def create(self, request) -> Response:
        data = self._fields(partial=False)
        name = data.pop("name", "")
        try:
            policy = policies.create_policy(
                name, repositories=data.pop("repositories", []), request=request, **data
            )
        except ValueError as exc:
            raise Rejected(str(exc)) from None
        return self._answer(policy, status.HTTP_201_CREATED)

    def partial_update(self, request, pk: int) -> Response:
        policy = self._policy(pk)
        try:
            policies.update_policy(policy, request=request, **self._fields(partial=True))
        except ValueError as exc:
            raise Rejected(str(exc)) from None
        return self._answer(policy)

    def destroy(self, request, pk: int) -> Response:
        policies.delete_policy(self._policy(pk), request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def preview(self, request, pk: int) -> Response:
        return preview_response(request, *policy_scope(self._policy(pk)))

    def preview_rules(self, request) -> Response:
        """The preview of rules not saved yet (the UI's live preview while editing)."""
        data = self._fields(partial=True)
        repositories = data.pop("repositories", [])
        rules = Rules(**{field: data[field] for field in RULE_FIELDS if field in data})
        try:
            rules.check()
        except ValueError as exc:
            raise Rejected(str(exc)) from None
        return preview_response(request, rules, repositories)


class RunViewSet(mixins.ListModelMixin, GenericViewSet):
    serializer_class = RunSerializer
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    pagination_class = Pages

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        require_global_admin(request, "run retention policies")

    def get_queryset(self):
        runs = PolicyRun.objects.select_related("policy", "actor")
        if "policy" in self.kwargs:
            runs = runs.filter(policy=self.kwargs["policy"])
        return runs.order_by("-created", "-pk")

    def list(self, request, *args, **kwargs) -> Response:
        if "policy" in kwargs and not RetentionPolicy.objects.filter(pk=kwargs["policy"]).exists():
            raise NotFound(f"no retention policy {kwargs['policy']}")
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, pk: int) -> Response:
        run = self.get_queryset().filter(pk=pk).first()
        if run is None:
            raise NotFound(f"no run {pk}")
        return Response(self.get_serializer(run).data)

    def create(self, request, policy: int) -> Response:
        """Start a run (or a dry run) now; a worker carries it out. 202 with the run."""
        found = RetentionPolicy.objects.filter(pk=policy).first()
        if found is None:
            raise NotFound(f"no retention policy {policy}")
        dry_run = request.data.get("dry_run", False)
        if not isinstance(dry_run, bool):
            raise Rejected("dry_run must be true or false")
        run = queue_run(found, trigger="api", actor=request.user, dry_run=dry_run)
        transaction.on_commit(lambda: execute_run.delay(run.pk))
        body = self.get_serializer(run).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})
