"""PyPI's answers to the core's Format contract: PEP 503 names, PEP 440 order."""

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from formats.pypi import lockfiles
from formats.pypi.groups import clean_pep708, merge_documents
from formats.pypi.package_page import package_context
from formats.pypi.upstream import PyPIUpstream
from repository.formats import Format


class PyPIFormat(Format):
    name = "pypi"
    label = "PyPI"
    urlconf = "formats.pypi.urls"
    package_template = "pypi/package_usage.html"
    usage_template = "pypi/repository_usage.html"
    token_usage_template = "pypi/token_usage.html"

    def normalize_name(self, name: str) -> str:
        return canonicalize_name(name)

    def normalize_version(self, version: str) -> str:
        try:
            return str(Version(version))
        except InvalidVersion:
            return version

    def version_key(self, version: str):
        try:
            return (1, Version(version))
        except InvalidVersion:
            return (0, version)

    def is_prerelease(self, version: str) -> bool:
        try:
            return Version(version).is_prerelease
        except InvalidVersion:
            return False

    def package_context(self, request, package) -> dict:
        return package_context(self, package)

    def validate_settings(self, kind: str, settings: dict) -> dict:
        """A group may give projects PEP 708 metadata (`pep708`)."""
        return clean_pep708(settings) if kind == "group" else settings

    def merge_documents(self, key: str, group, parts: list) -> object:
        return merge_documents(self, key, group, parts)

    def upstream_reader(self) -> PyPIUpstream:
        return PyPIUpstream()

    def warm_items(self, text: str) -> list[tuple[str, str | None]]:
        """A requirements.txt (== pins) or a pylock.toml."""
        return lockfiles.warm_items(text)
