"""The PyPI protocol below /repository/<name>/ (the leading slash is already consumed)."""

from django.urls import re_path

from formats.pypi.views import files, jsonapi, simple, upload
from formats.pypi.views.misdirected import points_uploads_at_legacy

urlpatterns = [
    re_path(
        r"^simple$",
        points_uploads_at_legacy(simple.simple_root_redirect),
        name="pypi-simple-redirect",
    ),
    re_path(r"^simple/$", points_uploads_at_legacy(simple.project_list), name="pypi-simple"),
    re_path(
        r"^simple/(?P<project>[^/]+)(?P<slash>/?)$",
        points_uploads_at_legacy(simple.project_detail),
        name="pypi-project",
    ),
    re_path(r"^legacy/?$", upload.upload, name="pypi-upload"),
    re_path(r"^pypi/(?P<project>[^/]+)/json$", jsonapi.project, name="pypi-json"),
    re_path(
        r"^pypi/(?P<project>[^/]+)/(?P<version>[^/]+)/json$", jsonapi.release, name="pypi-release"
    ),
    re_path(r"^files/(?P<path>[^/]+/[^/]+/[^/]+)$", files.download, name="pypi-file"),
]
