"""The web UI's routes; the root URLconf includes them at "" (namespace "ui")."""

from django.contrib.auth import views as auth_views
from django.urls import path

from repository.ui import pins, retention, storage, trash, views

app_name = "ui"

urlpatterns = [
    path("", views.repository_list, name="repository-list"),
    path("ui/repositories/<str:name>/", views.repository_detail, name="repository-detail"),
    path(
        "ui/repositories/<str:name>/packages/<path:package_name>/",
        views.package_detail,
        name="package-detail",
    ),
    path(
        "ui/repositories/<str:name>/pins/<path:package_name>/<str:version>/",
        pins.version_pin,
        name="version-pin",
    ),
    path("ui/repositories/<str:name>/trash/", trash.trash_list, name="trash"),
    path(
        "ui/repositories/<str:name>/trash/<int:pk>/restore/",
        trash.trash_restore,
        name="trash-restore",
    ),
    path("ui/repositories/<str:name>/trash/<int:pk>/purge/", trash.trash_purge, name="trash-purge"),
    path("ui/retention/", retention.policy_list, name="policy-list"),
    path("ui/retention/new/", retention.policy_new, name="policy-new"),
    path("ui/retention/preview/", retention.preview, name="policy-preview"),
    path("ui/retention/<int:pk>/", retention.policy_edit, name="policy-edit"),
    path("ui/retention/<int:pk>/run/", retention.policy_run, name="policy-run"),
    path("ui/retention/<int:pk>/delete/", retention.policy_delete, name="policy-delete"),
    path("ui/retention/<int:pk>/preview.csv", retention.preview_csv, name="policy-preview-csv"),
    path("ui/retention/runs/<int:pk>/", retention.run_detail, name="run-detail"),
    path("ui/storage/", storage.storage, name="storage"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
