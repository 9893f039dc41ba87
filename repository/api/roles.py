"""Who holds which role on a repository, managed by that repository's admins.

Grants on all repositories, users and groups are the superusers', in the web UI (repository/ui/)
or the Django admin.
"""

from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from repository.api.access import require_role
from repository.api.errors import Rejected
from repository.api.links import api_url
from repository.api.scoped import RepositoryScopedViewSet
from repository.models import RepositoryRole, Role
from repository.services.roles import grant_role, revoke_role


class RoleSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username", default=None)
    group = serializers.CharField(source="group.name", default=None)
    url = serializers.SerializerMethodField()

    class Meta:
        model = RepositoryRole
        fields = ["id", "user", "group", "role", "created", "url"]
        read_only_fields = fields

    def get_url(self, grant: RepositoryRole) -> str:
        name = self.context["view"].repository.name
        return api_url(self.context["request"], "role-detail", name=name, pk=grant.pk)


class NewRoleSerializer(serializers.Serializer):
    user = serializers.CharField(required=False)
    group = serializers.CharField(required=False)
    role = serializers.ChoiceField(choices=Role.values)


class RoleViewSet(mixins.ListModelMixin, RepositoryScopedViewSet):
    serializer_class = RoleSerializer

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        name = self.repository.name
        require_role(request, self.repository, Role.ADMIN, f"manage roles on {name}")

    def get_queryset(self):
        grants = RepositoryRole.objects.filter(repository=self.repository)
        return grants.select_related("user", "group").order_by("role", "pk")

    def create(self, request, name: str) -> Response:
        fields = NewRoleSerializer(data=request.data)
        fields.is_valid(raise_exception=True)
        data = fields.validated_data
        try:
            grant, created = grant_role(
                self.repository,
                data["role"],
                username=data.get("user"),
                group_name=data.get("group"),
                request=request,
            )
        except ValueError as exc:
            raise Rejected(str(exc)) from None
        body = self.get_serializer(grant).data
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(body, status=answer, headers={"Location": body["url"]})

    def destroy(self, request, name: str, pk: int) -> Response:
        grant = self.get_queryset().filter(pk=pk).first()
        if grant is None:
            raise NotFound(f"no role grant {pk} on repository {name}")
        revoke_role(grant, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
