"""API tokens: list your own, create one (its secret is in that answer only), revoke.

Global admins may list and revoke anyone's tokens (`?user=<name>`). Creating a token needs a
password or a browser session: a token minting tokens could outlive its own expiry and shed
its limits. A token may revoke itself.
"""

from django.contrib.auth import get_user_model
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from repository.access.credentials import caller_of
from repository.access.permissions import has_global_role, has_role
from repository.api.access import require_signed_in_with_password
from repository.api.errors import Rejected
from repository.api.links import api_url
from repository.api.pagination import Pages
from repository.models import ApiToken, Repository, Role
from repository.services.tokens import issue_api_token, revoke_api_token


class TokenSerializer(serializers.ModelSerializer):
    """A token as listed: never its secret (Larder keeps only a hash of it)."""

    user = serializers.CharField(source="user.get_username")
    repositories = serializers.SerializerMethodField()
    active = serializers.BooleanField(source="is_active")
    url = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "user", "readonly", "repositories", "created"]
        fields += ["expires", "last_used", "active", "url"]
        read_only_fields = fields

    def get_repositories(self, token: ApiToken) -> list[str]:
        return sorted(repository.name for repository in token.repositories.all())

    def get_url(self, token: ApiToken) -> str:
        return api_url(self.context["request"], "token-detail", pk=token.pk)


class NewTokenSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=128, default="")
    expires_in_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=36500, default=None
    )
    readonly = serializers.BooleanField(required=False, default=False)
    repositories = serializers.ListField(
        child=serializers.CharField(), required=False, default=list
    )

    def validate_repositories(self, names: list[str]) -> list[Repository]:
        """Only repositories the caller can read; others read as missing, as everywhere."""
        request = self.context["request"]
        found = {
            repository.name: repository for repository in Repository.objects.filter(name__in=names)
        }
        for name in names:
            if name not in found or not has_role(request, found[name], Role.READER):
                raise serializers.ValidationError(f"no repository named {name}")
        return list(found.values())


class TokenViewSet(mixins.ListModelMixin, GenericViewSet):
    serializer_class = TokenSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    pagination_class = Pages

    def _is_admin(self) -> bool:
        return has_global_role(self.request, Role.ADMIN)

    def get_queryset(self):
        tokens = ApiToken.objects.filter(revoked__isnull=True).select_related("user")
        tokens = tokens.prefetch_related("repositories").order_by("-created", "-pk")
        if self.action != "list":
            return tokens if self._is_admin() else tokens.filter(user=self.request.user)
        username = self.request.query_params.get("user")
        if username is None or username == self.request.user.get_username():
            return tokens.filter(user=self.request.user)
        if not self._is_admin():
            raise PermissionDenied("only administrators may list other users' tokens")
        return tokens.filter(user__in=get_user_model().objects.filter(username=username))

    def _token(self, pk: int) -> ApiToken:
        token = self.get_queryset().filter(pk=pk).first()
        if token is None:
            raise NotFound(f"no token {pk}")
        return token

    def retrieve(self, request, pk: int) -> Response:
        return Response(self.get_serializer(self._token(pk)).data)

    def create(self, request) -> Response:
        require_signed_in_with_password(request, "create tokens")
        fields = NewTokenSerializer(data=request.data, context=self.get_serializer_context())
        fields.is_valid(raise_exception=True)
        try:
            token, plain = issue_api_token(request.user, request=request, **fields.validated_data)
        except ValueError as exc:
            raise Rejected(str(exc)) from None
        body = {**self.get_serializer(token).data, "token": plain}
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})

    def destroy(self, request, pk: int) -> Response:
        token = self._token(pk)
        if token != caller_of(request).token:
            require_signed_in_with_password(request, "revoke other tokens")
        revoke_api_token(token, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)
