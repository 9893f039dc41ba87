"""Generic files' answers to the core's Format contract: paths as given, natural order."""

import re

from django.http import HttpRequest, HttpResponse, JsonResponse

from formats.generic.details import package_files
from formats.generic.layout import clean_settings
from formats.generic.negotiation import wants_json
from formats.generic.upstream import GenericUpstream
from formats.generic.warmlist import warm_items
from repository.formats import Format

_NUMBERS = re.compile(r"(\d+)")


class GenericFormat(Format):
    name = "generic"
    label = "Generic"
    urlconf = "formats.generic.urls"
    package_template = "generic/package_usage.html"
    usage_template = "generic/repository_usage.html"
    token_usage_template = "generic/token_usage.html"

    def normalize_name(self, name: str) -> str:
        return name

    def version_key(self, version: str):
        """Natural order: 1.10 after 1.9, numbers compared as numbers."""
        return tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in _NUMBERS.split(version)
            if part
        )

    def error_response(self, request: HttpRequest, status: int, message: str) -> HttpResponse:
        """`<status> <message>` as text for curl and wget; {"error": ...} when JSON was asked.

        The reason phrase stays the standard one: messages may quote user-chosen paths,
        which do not belong in a status line.
        """
        if wants_json(request):
            return JsonResponse({"error": message, "status": status}, status=status)
        return HttpResponse(
            f"{status} {message}\n", status=status, content_type="text/plain; charset=utf-8"
        )

    def validate_settings(self, kind: str, settings: dict) -> dict:
        """`layout`: "flat" (default) or "name/version/file"."""
        return clean_settings(settings)

    def package_context(self, request: HttpRequest, package) -> dict:
        return package_files(request, self, package)

    def warm_items(self, text: str) -> list[tuple[str, str | None]]:
        """File paths, one per line."""
        return warm_items(text)

    def upstream_reader(self) -> GenericUpstream:
        """A plain file server: each path fetched from the upstream's URL plus that path."""
        return GenericUpstream()
