"""The web UI's routes; the root URLconf includes them at "" (namespace "ui")."""

from django.contrib.auth import views as auth_views
from django.urls import path

from repository.ui import groups, views

app_name = "ui"

urlpatterns = [
    path("", views.repository_list, name="repository-list"),
    path("ui/repositories/<str:name>/", views.repository_detail, name="repository-detail"),
    path("ui/repositories/<str:name>/members/", groups.move_member, name="move-member"),
    path(
        "ui/repositories/<str:name>/packages/<path:package_name>/",
        views.package_detail,
        name="package-detail",
    ),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
