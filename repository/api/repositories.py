"""Repositories: anyone lists and reads what they may see; global admins create and delete,
a repository's admins change it. The checks and the audit live in the repository service."""

import math
from types import SimpleNamespace

from rest_framework import mixins, serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from repository.access.permissions import readable_repositories
from repository.api.access import (
    ReadOnlyOrSignedIn,
    readable_repository,
    require_global_admin,
    require_role,
)
from repository.api.errors import Rejected
from repository.api.filters import RepositoryFilter
from repository.api.links import api_url
from repository.api.pagination import Pages
from repository.models import Repository, Role
from repository.proxy.status import upstream_status
from repository.services.repositories import (
    create_repository,
    delete_repository,
    public_settings,
    update_repository,
)
from repository.urlbase import repository_url


class RepositorySerializer(serializers.ModelSerializer):
    private = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    repository_url = serializers.SerializerMethodField()
    packages_url = serializers.SerializerMethodField()
    assets_url = serializers.SerializerMethodField()
    settings = serializers.SerializerMethodField()

    class Meta:
        model = Repository
        fields = ["name", "format", "kind", "description", "anonymous_read", "private"]
        fields += ["redeploy_policy", "delete_policy", "trash_days", "quota_bytes"]
        fields += ["soft_quota_bytes", "settings", "created", "updated"]
        fields += ["url", "repository_url", "packages_url", "assets_url"]
        read_only_fields = fields

    def get_private(self, repository: Repository) -> bool:
        return not repository.anonymous_read

    def get_url(self, repository: Repository) -> str:
        return api_url(self.context["request"], "repository-detail", name=repository.name)

    def get_settings(self, repository: Repository) -> dict:
        """Upstream credentials are write-only."""
        return public_settings(repository.settings)

    def get_repository_url(self, repository: Repository) -> str:
        """Where the format's clients (pip, npm, curl) point."""
        return repository_url(self.context["request"], repository)

    def get_packages_url(self, repository: Repository) -> str:
        return api_url(self.context["request"], "package-list", name=repository.name)

    def get_assets_url(self, repository: Repository) -> str:
        return api_url(self.context["request"], "asset-list", name=repository.name)


class RepositoryDetailSerializer(RepositorySerializer):
    """One repository; a proxy's with how its upstream is doing."""

    upstream_status = serializers.SerializerMethodField()

    class Meta(RepositorySerializer.Meta):
        fields = [*RepositorySerializer.Meta.fields, "upstream_status"]
        read_only_fields = fields

    def get_upstream_status(self, repository: Repository) -> dict | None:
        if repository.kind != Repository.Kind.PROXY:
            return None
        status = upstream_status(repository)
        breaker, error = status.breaker, status.last_error
        return {
            "breaker": breaker.state.value if breaker else None,
            "consecutive_failures": breaker.failures if breaker else None,
            "retry_after": math.ceil(breaker.retry_after)
            if breaker and breaker.retry_after
            else None,
            "last_success": status.last_success,
            "last_error": {"at": error.at, "message": error.message} if error else None,
            "cached_bytes": status.cached_bytes,
        }


class RepositoryChangeSerializer(serializers.Serializer):
    """The fields a repository's admins may change. Types are checked here; meaning (known
    policies, the format's settings) by the service."""

    description = serializers.CharField(required=False, allow_blank=True)
    anonymous_read = serializers.BooleanField(required=False)
    private = serializers.BooleanField(required=False)
    redeploy_policy = serializers.CharField(required=False)
    delete_policy = serializers.CharField(required=False)
    trash_days = serializers.IntegerField(required=False)
    quota_bytes = serializers.IntegerField(required=False, allow_null=True)
    soft_quota_bytes = serializers.IntegerField(required=False, allow_null=True)
    settings = serializers.JSONField(required=False)
    # Set at creation, fixed for life; a change request naming other values is refused.
    fixed_fields = ("name", "format", "kind")

    def validate(self, data: dict) -> dict:
        unknown = set(self.initial_data) - set(self.fields) - set(self.fixed_fields)
        if "write_policy" in unknown:
            raise serializers.ValidationError(
                "write_policy was split in two: redeploy_policy (allowed or forbidden) and "
                "delete_policy (allowed, deployers or forbidden)"
            )
        if unknown:
            raise serializers.ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}")
        if self.instance is not None:
            changed = [
                field
                for field in self.fixed_fields
                if field in self.initial_data
                and self.initial_data[field] != getattr(self.instance, field)
            ]
            if changed:
                raise serializers.ValidationError(f"{', '.join(changed)} cannot be changed")
        anonymous_read = data.pop("anonymous_read", None)
        private = data.pop("private", None)
        if anonymous_read is not None and private is not None and anonymous_read == private:
            raise serializers.ValidationError("anonymous_read and private contradict each other")
        if private is None and anonymous_read is not None:
            private = not anonymous_read
        return {**data, "private": private}


class NewRepositorySerializer(RepositoryChangeSerializer):
    name = serializers.CharField()
    format = serializers.CharField()
    kind = serializers.CharField(required=False, default=Repository.Kind.HOSTED)


class FormatIsAFilter(DefaultContentNegotiation):
    """`?format=npm` filters repositories by package format; it never picks a renderer."""

    settings = SimpleNamespace(URL_FORMAT_OVERRIDE=None)


class RepositoryViewSet(mixins.ListModelMixin, GenericViewSet):
    serializer_class = RepositorySerializer
    content_negotiation_class = FormatIsAFilter
    permission_classes = [ReadOnlyOrSignedIn]
    parser_classes = [JSONParser]
    pagination_class = Pages
    filterset_class = RepositoryFilter

    def get_queryset(self):
        return readable_repositories(self.request)

    def get_serializer_class(self):
        """The list shows no upstream status: that costs reads per proxy."""
        return RepositorySerializer if self.action == "list" else RepositoryDetailSerializer

    def retrieve(self, request, name: str) -> Response:
        return Response(self.get_serializer(readable_repository(request, name)).data)

    def create(self, request) -> Response:
        require_global_admin(request, "create repositories")
        fields = NewRepositorySerializer(data=request.data)
        fields.is_valid(raise_exception=True)
        data = dict(fields.validated_data)
        private = bool(data.pop("private"))
        try:
            repository = create_repository(
                data.pop("name"), data.pop("format"), private=private, request=request, **data
            )
        except ValueError as exc:
            raise Rejected(str(exc)) from None
        body = self.get_serializer(repository).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})

    def partial_update(self, request, name: str) -> Response:
        repository = readable_repository(request, name)
        require_role(request, repository, Role.ADMIN, f"change repository {name}")
        fields = RepositoryChangeSerializer(repository, data=request.data, partial=True)
        fields.is_valid(raise_exception=True)
        try:
            update_repository(repository, request=request, **fields.validated_data)
        except ValueError as exc:
            raise Rejected(str(exc)) from None
        return Response(self.get_serializer(repository).data)

    def destroy(self, request, name: str) -> Response:
        repository = readable_repository(request, name)
        require_global_admin(request, f"delete repository {name}")
        try:
            delete_repository(repository, request=request)
        except ValueError as exc:
            raise Rejected(str(exc)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
