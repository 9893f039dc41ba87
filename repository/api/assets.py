"""Files: every asset of a repository (filter by path, sha256, package...), and one by path."""

from rest_framework import mixins, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from repository.api.filters import AssetFilter
from repository.api.links import api_url, download_url
from repository.api.scoped import RepositoryScopedViewSet
from repository.models import Asset


class AssetSerializer(serializers.ModelSerializer):
    """An asset with what a client needs to fetch and verify it."""

    size = serializers.IntegerField(source="blob.size")
    sha256 = serializers.CharField(source="blob.sha256")
    hashes = serializers.SerializerMethodField()
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

    def get_hashes(self, asset: Asset) -> dict:
        blob = asset.blob
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

    def retrieve(self, request, name: str, path: str) -> Response:
        asset = self.get_queryset().filter(path=path).first()
        if asset is None:
            raise NotFound(f"no file {path} in repository {name}")
        return Response(self.get_serializer(asset).data)
