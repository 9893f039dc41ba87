"""A repository's trash: list, restore, purge now (the repository's admins)."""

from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from repository.api.access import require_role
from repository.api.errors import Rejected
from repository.api.links import api_url
from repository.api.scoped import RepositoryScopedViewSet
from repository.models import Role, TrashEntry
from repository.retention.restore import RestoreRefused, purge_entry, restore_entry


class TrashSerializer(serializers.ModelSerializer):
    package = serializers.CharField(source="display_name")
    actor = serializers.CharField(source="actor.username", default=None)
    files = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = TrashEntry
        fields = ["id", "kind", "package", "version", "path", "files", "size", "reason"]
        fields += ["actor", "trashed", "purge_after", "url"]
        read_only_fields = fields

    def get_files(self, entry: TrashEntry) -> list[str]:
        return [asset["path"] for asset in entry.snapshot["assets"]]

    def get_url(self, entry: TrashEntry) -> str:
        name = self.context["view"].repository.name
        return api_url(self.context["request"], "trash-detail", name=name, pk=entry.pk)


class TrashViewSet(mixins.ListModelMixin, RepositoryScopedViewSet):
    serializer_class = TrashSerializer

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        name = self.repository.name
        require_role(request, self.repository, Role.ADMIN, f"manage the trash of {name}")

    def get_queryset(self):
        entries = TrashEntry.objects.filter(repository=self.repository).select_related("actor")
        return entries.order_by("-trashed", "-pk")

    def _entry(self, pk: int) -> TrashEntry:
        entry = self.get_queryset().filter(pk=pk).first()
        if entry is None:
            raise NotFound(f"no trash entry {pk} in repository {self.repository.name}")
        return entry

    def retrieve(self, request, name: str, pk: int) -> Response:
        return Response(self.get_serializer(self._entry(pk)).data)

    def restore(self, request, name: str, pk: int) -> Response:
        entry = self._entry(pk)
        try:
            kept_elsewhere = restore_entry(entry, request=request)
        except RestoreRefused as refusal:
            raise Rejected(str(refusal)) from None
        return Response({"restored": True, "tags_left_elsewhere": kept_elsewhere})

    def destroy(self, request, name: str, pk: int) -> Response:
        purge_entry(self._entry(pk), request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
