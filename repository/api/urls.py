"""/api/v1/: repositories, what they hold, proxies' caches, retention, storage, API tokens
and the audit trail. Unknown paths answer JSON 404.

Routes are spelled out (no router): repository names may contain dots, which a router would
read as format suffixes, and npm package names contain a slash (`@scope/name`).
"""

from django.urls import path, re_path

from repository.api import errors
from repository.api.assets import AssetViewSet
from repository.api.audit import AuditEventViewSet
from repository.api.packages import PackageViewSet, VersionViewSet
from repository.api.proxy import Invalidation, WarmDetail, Warming
from repository.api.repositories import RepositoryViewSet
from repository.api.retention import PolicyViewSet, RunViewSet
from repository.api.roles import RoleViewSet
from repository.api.storage import AllStorage, RepositoryStorage
from repository.api.tokens import TokenViewSet
from repository.api.trash import TrashViewSet

app_name = "api"

LIST = {"get": "list"}
REPOSITORY = "repositories/<str:name>/"
PACKAGE = REPOSITORY + "packages/<path:package>/"

urlpatterns = [
    path(
        "repositories/",
        RepositoryViewSet.as_view({**LIST, "post": "create"}),
        name="repository-list",
    ),
    path(
        REPOSITORY,
        RepositoryViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="repository-detail",
    ),
    path(REPOSITORY + "packages/", PackageViewSet.as_view(LIST), name="package-list"),
    # Before the package itself: `<path:package>` would swallow "/versions/" otherwise.
    path(
        PACKAGE + "versions/<str:version>/pin/",
        VersionViewSet.as_view({"put": "pin", "delete": "pin"}),
        name="version-pin",
    ),
    path(
        PACKAGE + "versions/<str:version>/",
        VersionViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="version-detail",
    ),
    path(PACKAGE + "versions/", VersionViewSet.as_view(LIST), name="version-list"),
    path(PACKAGE, PackageViewSet.as_view({"get": "retrieve"}), name="package-detail"),
    path(REPOSITORY + "assets/", AssetViewSet.as_view(LIST), name="asset-list"),
    path(
        REPOSITORY + "assets/<path:path>",
        AssetViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="asset-detail",
    ),
    path(
        REPOSITORY + "roles/",
        RoleViewSet.as_view({**LIST, "post": "create"}),
        name="role-list",
    ),
    path(
        REPOSITORY + "roles/<int:pk>/",
        RoleViewSet.as_view({"delete": "destroy"}),
        name="role-detail",
    ),
    path(REPOSITORY + "trash/", TrashViewSet.as_view(LIST), name="trash-list"),
    path(
        REPOSITORY + "trash/<int:pk>/",
        TrashViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="trash-detail",
    ),
    path(
        REPOSITORY + "trash/<int:pk>/restore/",
        TrashViewSet.as_view({"post": "restore"}),
        name="trash-restore",
    ),
    path(REPOSITORY + "storage/", RepositoryStorage.as_view(), name="repository-storage"),
    path(REPOSITORY + "warm/", Warming.as_view(), name="proxy-warm"),
    path(REPOSITORY + "warm/<str:warm_id>/", WarmDetail.as_view(), name="proxy-warm-detail"),
    path(REPOSITORY + "invalidate/", Invalidation.as_view(), name="proxy-invalidate"),
    path("storage/", AllStorage.as_view(), name="storage"),
    path(
        "retention/policies/",
        PolicyViewSet.as_view({**LIST, "post": "create"}),
        name="policy-list",
    ),
    path(
        "retention/policies/<int:pk>/",
        PolicyViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="policy-detail",
    ),
    path(
        "retention/policies/<int:pk>/preview/",
        PolicyViewSet.as_view({"get": "preview"}),
        name="policy-preview",
    ),
    path(
        "retention/preview/",
        PolicyViewSet.as_view({"post": "preview_rules"}),
        name="rules-preview",
    ),
    path(
        "retention/policies/<int:policy>/runs/",
        RunViewSet.as_view({**LIST, "post": "create"}),
        name="policy-runs",
    ),
    path("retention/runs/<int:pk>/", RunViewSet.as_view({"get": "retrieve"}), name="run-detail"),
    path("tokens/", TokenViewSet.as_view({**LIST, "post": "create"}), name="token-list"),
    path(
        "tokens/<int:pk>/",
        TokenViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="token-detail",
    ),
    path("audit/", AuditEventViewSet.as_view(LIST), name="audit-list"),
    re_path(r"^(?P<path>.*)$", errors.not_found),
]
