"""Packages and their versions, read-only: what a repository holds, in the format's order."""

from django.db import transaction
from django.db.models import Count, Prefetch
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from repository.api.access import require_delete_right, require_role
from repository.api.assets import AssetSerializer, assets_with_blobs
from repository.api.errors import Rejected
from repository.api.filters import PackageFilter, VersionFilter
from repository.api.links import api_url
from repository.api.scoped import RepositoryScopedViewSet
from repository.audit import record
from repository.models import Package, Role, Version
from repository.retention.policies import pin_version, unpin_version
from repository.retention.trash import trash_version
from repository.services.packages import yank_version


class PackageSerializer(serializers.ModelSerializer):
    version_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    versions_url = serializers.SerializerMethodField()

    class Meta:
        model = Package
        fields = ["name", "display_name", "version_count", "created", "updated"]
        fields += ["url", "versions_url"]
        read_only_fields = fields

    def _link(self, view_name: str, package: Package) -> str:
        repository = self.context["view"].repository.name
        return api_url(self.context["request"], view_name, name=repository, package=package.name)

    def get_url(self, package: Package) -> str:
        return self._link("package-detail", package)

    def get_versions_url(self, package: Package) -> str:
        return self._link("version-list", package)


class PackageDetailSerializer(PackageSerializer):
    tags = serializers.SerializerMethodField()

    class Meta(PackageSerializer.Meta):
        fields = [*PackageSerializer.Meta.fields, "metadata", "tags"]
        read_only_fields = fields

    def get_tags(self, package: Package) -> dict[str, str]:
        return {tag.name: tag.version.version for tag in package.tags.select_related("version")}


class PackageViewSet(mixins.ListModelMixin, RepositoryScopedViewSet):
    serializer_class = PackageSerializer
    filterset_class = PackageFilter

    def get_queryset(self):
        return (
            Package.objects.filter(repository=self.repository)
            .annotate(version_count=Count("versions"))
            .order_by("name")
        )

    def retrieve(self, request, name: str, package: str) -> Response:
        found = self.package_named(package)
        found.version_count = found.versions.count()
        return Response(PackageDetailSerializer(found, context=self.get_serializer_context()).data)


class VersionSerializer(serializers.ModelSerializer):
    uploader = serializers.CharField(source="uploader.username", default=None)
    is_prerelease = serializers.SerializerMethodField()
    pinned = serializers.SerializerMethodField()
    assets = AssetSerializer(many=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Version
        fields = ["version", "is_prerelease", "pinned", "yanked", "yanked_reason", "deprecated"]
        fields += ["uploader", "created", "download_count", "last_downloaded", "assets", "url"]
        read_only_fields = fields

    def get_pinned(self, version: Version) -> bool:
        return hasattr(version, "pin")

    def get_is_prerelease(self, version: Version) -> bool:
        return self.context["view"].format.is_prerelease(version.version)

    def get_url(self, version: Version) -> str:
        view = self.context["view"]
        return api_url(
            self.context["request"],
            "version-detail",
            name=view.repository.name,
            package=view.package.name,
            version=version.version,
        )


class VersionDetailSerializer(VersionSerializer):
    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "metadata"]
        read_only_fields = fields


class YankSerializer(serializers.Serializer):
    yanked = serializers.BooleanField()
    yanked_reason = serializers.CharField(required=False, allow_blank=True, default="")


class VersionViewSet(RepositoryScopedViewSet):
    """Newest first by the format's version order (PEP 440, semver...), never string order."""

    serializer_class = VersionSerializer
    filterset_class = VersionFilter

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.package = self.package_named(kwargs["package"])

    def get_queryset(self):
        return Version.objects.filter(package=self.package)

    def _with_files(self, versions):
        assets = Prefetch("assets", assets_with_blobs().order_by("filename"))
        return versions.select_related("uploader", "pin").prefetch_related(assets)

    def list(self, request, name: str, package: str) -> Response:
        filtered = self.filter_queryset(self.get_queryset())
        key = self.format.version_key
        rows = sorted(filtered.values_list("pk", "version"), key=lambda row: key(row[1]))
        page = self.paginate_queryset([pk for pk, _ in reversed(rows)])
        by_pk = self._with_files(self.get_queryset()).in_bulk(page)
        data = self.get_serializer([by_pk[pk] for pk in page], many=True).data
        return self.get_paginated_response(data)

    def _version(self, version: str) -> Version:
        found = self._with_files(self.get_queryset()).filter(version=version).first()
        if found is None:
            raise NotFound(f"no version {version} of {self.package.display_name}")
        return found

    def retrieve(self, request, name: str, package: str, version: str) -> Response:
        found = self._version(version)
        return Response(VersionDetailSerializer(found, context=self.get_serializer_context()).data)

    def partial_update(self, request, name: str, package: str, version: str) -> Response:
        """Yank or un-yank (`{"yanked": true, "yanked_reason": "..."}`): the maintainer role."""
        require_role(request, self.repository, Role.MAINTAINER, f"yank versions in {name}")
        fields = YankSerializer(data=request.data)
        fields.is_valid(raise_exception=True)
        found = self._version(version)
        yank_version(
            found,
            fields.validated_data["yanked"],
            fields.validated_data["yanked_reason"],
            request=request,
        )
        return self.retrieve(request, name, package, version)

    def destroy(self, request, name: str, package: str, version: str) -> Response:
        """Delete the version and its files (into the repository's trash)."""
        found = self._version(version)
        require_delete_right(request, self.repository)
        with transaction.atomic():
            trash_version(found, reason="API", actor=request.user)
            record(
                request,
                "version.delete",
                repository=self.repository,
                target=f"{self.package.name} {found.version}",
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

    def pin(self, request, name: str, package: str, version: str) -> Response:
        """PUT: no retention policy may delete this version; DELETE: policies may again."""
        found = self._version(version)
        require_role(request, self.repository, Role.ADMIN, f"pin versions in {name}")
        if request.method == "DELETE":
            unpin_version(found, request=request)
            return Response(status=status.HTTP_204_NO_CONTENT)
        reason = request.data.get("reason", "") if isinstance(request.data, dict) else ""
        if not isinstance(reason, str):
            raise Rejected("reason must be text")
        pin = pin_version(found, reason=reason, request=request)
        return Response({"pinned": True, "reason": pin.reason, "created": pin.created})
