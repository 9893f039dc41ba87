"""npm's answers to the core's Format contract: names as published, semver order."""

import semver
from django.http import JsonResponse

from formats.npm import packument
from formats.npm.usage import package_context
from repository.documents import load_or_render
from repository.formats import Format


class NpmFormat(Format):
    name = "npm"
    label = "npm"
    urlconf = "formats.npm.urls"
    package_template = "npm/package_usage.html"
    usage_template = "npm/repository_usage.html"

    def normalize_name(self, name: str) -> str:
        return name

    def version_key(self, version: str):
        try:
            return (1, semver.Version.parse(version))
        except ValueError:
            return (0, version)

    def is_prerelease(self, version: str) -> bool:
        try:
            return semver.Version.parse(version).prerelease is not None
        except ValueError:
            return False

    def error_response(self, request, status: int, message: str):
        return JsonResponse({"error": message}, status=status)

    def package_context(self, request, package) -> dict:
        return package_context(request, package)

    def warm_documents(self, repository, package) -> None:
        for key, content_type in packument.DOCUMENTS.items():
            load_or_render(
                repository,
                package,
                key,
                content_type,
                lambda key=key: packument.render(repository, package, key),
            )
