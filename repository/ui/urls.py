"""The web UI's routes; the root URLconf includes them at "" (namespace "ui")."""

from django.urls import path

from repository.ui import (
    accounts,
    audit,
    grants,
    groups,
    pins,
    proxies,
    retention,
    signin,
    storage,
    tokens,
    trash,
    views,
)

app_name = "ui"

REPOSITORY = "ui/repositories/<str:name>/"

urlpatterns = [
    path("", views.repository_list, name="repository-list"),
    path(REPOSITORY, views.repository_detail, name="repository-detail"),
    path(REPOSITORY + "members/", groups.move_member, name="move-member"),
    path("ui/proxies/new/", proxies.proxy_new, name="proxy-new"),
    path(REPOSITORY + "proxy/", proxies.proxy_edit, name="proxy-edit"),
    path(
        REPOSITORY + "cooldown/<path:package_name>/",
        proxies.cooldown_exemption,
        name="cooldown-exemption",
    ),
    path(
        REPOSITORY + "packages/<path:package_name>/",
        views.package_detail,
        name="package-detail",
    ),
    path(REPOSITORY + "grants/", grants.repository_grants, name="repository-grants"),
    path(
        REPOSITORY + "grants/<int:pk>/remove/",
        grants.repository_grant_remove,
        name="repository-grant-remove",
    ),
    path(
        REPOSITORY + "pins/<path:package_name>/<str:version>/",
        pins.version_pin,
        name="version-pin",
    ),
    path(REPOSITORY + "trash/", trash.trash_list, name="trash"),
    path(REPOSITORY + "trash/<int:pk>/restore/", trash.trash_restore, name="trash-restore"),
    path(REPOSITORY + "trash/<int:pk>/purge/", trash.trash_purge, name="trash-purge"),
    path("ui/retention/", retention.policy_list, name="policy-list"),
    path("ui/retention/new/", retention.policy_new, name="policy-new"),
    path("ui/retention/preview/", retention.preview, name="policy-preview"),
    path("ui/retention/<int:pk>/", retention.policy_edit, name="policy-edit"),
    path("ui/retention/<int:pk>/run/", retention.policy_run, name="policy-run"),
    path("ui/retention/<int:pk>/delete/", retention.policy_delete, name="policy-delete"),
    path("ui/retention/<int:pk>/preview.csv", retention.preview_csv, name="policy-preview-csv"),
    path("ui/retention/runs/<int:pk>/", retention.run_detail, name="run-detail"),
    path("ui/storage/", storage.storage, name="storage"),
    path("ui/tokens/", tokens.token_list, name="tokens"),
    path("ui/tokens/new/", tokens.token_create, name="token-create"),
    path("ui/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("ui/grants/", grants.global_grants, name="global-grants"),
    path("ui/grants/<int:pk>/remove/", grants.global_grant_remove, name="global-grant-remove"),
    path("ui/users/", accounts.user_list, name="users"),
    path("ui/users/<str:username>/", accounts.user_detail, name="user-detail"),
    path("ui/users/<str:username>/active/", accounts.user_active, name="user-active"),
    path("ui/users/<str:username>/password/", accounts.user_password, name="user-password"),
    path("ui/groups/", accounts.group_list, name="groups"),
    path("ui/groups/<str:name>/", accounts.group_detail, name="group-detail"),
    path(
        "ui/groups/<str:name>/members/<str:username>/remove/",
        accounts.group_member_remove,
        name="group-member-remove",
    ),
    path("ui/audit/", audit.audit_list, name="audit"),
    path("login/", signin.LoginView.as_view(), name="login"),
    path("logout/", signin.logout_view(), name="logout"),
]
