"""Top-level routes: native protocols below /repository/, the API, the UI, probes."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from repository.dispatch import repository_dispatch
from repository.observability import health

urlpatterns = [
    path("-/health", health.liveness, name="health"),
    path("-/ready", health.readiness, name="ready"),
    path("-/metrics", health.metrics_view, name="metrics"),
    # [\s\S]: paths with newlines reach the format too, which refuses them in its own words.
    re_path(
        r"^repository/(?P<name>[^/]+)/(?P<path>[\s\S]*)$", repository_dispatch, name="repository"
    ),
    path("api/v1/", include("repository.api.urls")),
    path("admin/", admin.site.urls),
    path("", include("repository.ui.urls")),
]
if settings.OIDC_RP_CLIENT_ID:
    # /oidc/authenticate/ (the button), /oidc/callback/ (the provider's redirect URI).
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
