"""Every path below /repository/<name>/ is a file or a folder (newlines included, so the
path check can refuse them with a reason rather than a bare 404)."""

from django.urls import re_path

from formats.generic.views import repository_path

urlpatterns = [re_path(r"^(?P<path>[\s\S]*)$", repository_path, name="generic-path")]
