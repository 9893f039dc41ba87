"""Files: every asset of a repository (filter by path, sha256, package...), and one by path."""

from django.db import transaction
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from repository.api.access import require_delete_right
from repository.api.filters import AssetFilter
from repository.api.links import api_url, download_url
from repository.api.scoped import RepositoryScopedViewSet
from repository.audit import record
from repository.models import Asset
from repository.retention.trash import trash_file


class AssetSerializer(serializers.ModelSerializer):
    """An asset with what a client needs to fetch and verify it."""

    # None for a proxy's file not cached (or evicted by retention).
    size = serializers.IntegerField(source="blob.size", default=None)
    sha256 = serializers.CharField(source="blob.sha256", default=None)
    hashes = serializers.SerializerMethodField()
    cached = serializers.BooleanField(read_only=True)  # bytes here yet (a proxy's may not be)
    package = serializers.CharField(source="package.name", default=None)
    version = serializers.CharField(source="version.version", default=None)
    download_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = [
            "path",
            "filename",
            "content_type",
            "size",
            "sha256",
            "hashes",
            "cached",
            "package",
            "version",
            "created",
            "updated",
            "download_count",
            "last_downloaded",
            "download_url",
            "url",
        ]
        read_only_fields = fields

    def _repository_name(self) -> str:
        return self.context["view"].repository.name

    def get_hashes(self, asset: Asset) -> dict | None:
        blob = asset.blob
        if blob is None:
            return None
        return {
            "md5": blob.md5,
            "sha1": blob.sha1,
            "sha256": blob.sha256,
            "sha512": blob.sha512,
            "blake2b_256": blob.blake2b_256,
        }

    def get_download_url(self, asset: Asset) -> str:
        return download_url(self.context["request"], asset, self._repository_name())

    def get_url(self, asset: Asset) -> str:
        return api_url(
            self.context["request"], "asset-detail", name=self._repository_name(), path=asset.path
        )


def assets_with_blobs():
    return Asset.objects.select_related("blob", "package", "version")


class AssetViewSet(mixins.ListModelMixin, RepositoryScopedViewSet):
    serializer_class = AssetSerializer
    filterset_class = AssetFilter

    def get_queryset(self):
        return assets_with_blobs().filter(repository=self.repository).order_by("path")

    def _asset(self, name: str, path: str) -> Asset:
        asset = self.get_queryset().filter(path=path).first()
        if asset is None:
            raise NotFound(f"no file {path} in repository {name}")
        return asset

    def retrieve(self, request, name: str, path: str) -> Response:
        return Response(self.get_serializer(self._asset(name, path)).data)

    def destroy(self, request, name: str, path: str) -> Response:
        """Delete one file, in any format (PyPI has no deletion of its own): into the
        repository's trash; a version's last file takes the version along."""
        asset = self._asset(name, path)
        require_delete_right(request, self.repository)
        with transaction.atomic():
            trash_file(asset, reason="API", actor=request.user)
            record(request, "asset.delete", repository=self.repository, target=asset.path)
        return Response(status=status.HTTP_204_NO_CONTENT)
