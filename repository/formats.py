"""The Format plugin contract and its registry.

The core names no format: each format's AppConfig.ready() calls register(). The core then
asks the format, through this contract only, how to name and order things, how to answer
the native protocol below /repository/<name>/, and how to speak errors to its clients.
"""

from abc import ABC, abstractmethod
from typing import Any

from django.http import HttpRequest, HttpResponse

from repository.urlbase import moved_to_group


class Format(ABC):
    """What a format tells the core. Subclasses are small: the protocol lives in their views."""

    name: str
    label: str
    # Dotted module whose `urlpatterns` serve the native protocol below /repository/<name>/.
    urlconf: str
    # Template partial the UI includes on a package page ("how to install" lines and extras).
    package_template: str = ""
    # Template partial with the client configuration for a repository.
    usage_template: str = ""
    # Template partial with copy-paste client configuration that carries a new API token
    # (rendered once, right after the token is made, with `repository`, `repository_url`
    # and `token`).
    token_usage_template: str = ""

    @abstractmethod
    def normalize_name(self, name: str) -> str:
        """The canonical form packages are stored and looked up under."""

    def normalize_version(self, version: str) -> str:
        """The form versions are stored under, so "1.0-rc1" finds "1.0rc1" where equal."""
        return version

    @abstractmethod
    def version_key(self, version: str) -> Any:
        """A sort key: retention, the UI and "latest" order versions by it, never by string."""

    def is_prerelease(self, version: str) -> bool:
        return False

    def error_response(self, request: HttpRequest, status: int, message: str) -> HttpResponse:
        """An error in the protocol's own shape (npm wants JSON, pip plain text)."""
        response = HttpResponse(f"{status} {message}\n", status=status, content_type="text/plain")
        response.reason_phrase = message.splitlines()[0][:200] if message else None
        return response

    def validate_settings(self, kind: str, settings: dict) -> dict:
        """Check a repository's format settings; return them cleaned or raise ValueError."""
        return settings

    def package_context(self, request: HttpRequest, package: Any) -> dict:
        """Extra context for the UI's package page (readme, tags, dependencies...).

        The page renders `package_template` with `repository`, `package`, `versions`
        (newest first, assets prefetched), `repository_url` and this dict as `format_context`.
        """
        return {}

    def warmed_documents(self, package: Any) -> list[Any]:
        """The package's documents (DocumentSpecs) worth rendering right after each write.

        A Celery task renders them through the package's content source, so the next
        client (npm reads the packument right before every publish) finds them current,
        and compresses the large ones ahead. No task is queued for an empty list.
        """
        return []

    def merge_documents(self, key: str, group: Any, parts: list[tuple[Any, Any]]) -> Any:
        """A group's document of `key`, from its members' (member repository, document data)
        in the group's order: by default the first member's, pointed at the group. Formats
        merge what clients expect merged (PyPI's file lists, npm's versions), the first
        member winning each conflict."""
        member, data = parts[0]
        return moved_to_group(data, member, group)

    def upstream_reader(self) -> Any:
        """How a proxy repository of this format reads its upstream (an UpstreamReader of
        repository/proxy/index.py: where a package's index is and what it says); the core
        does the fetching, caching and verifying. None: this format cannot proxy."""
        return None

    def warm_items(self, text: str) -> list[tuple[str, str | None]]:
        """What a lock or requirements file names, as (package, pinned version or None), for
        pre-filling a proxy's cache (a format with no index documents names file paths);
        ValueError, saying where, if the text is not such a file."""
        raise ValueError(f"{self.label} repositories cannot be warmed from a file")

    def refresh_derived_state(self, package: Any) -> None:  # noqa: B027 - most derive nothing
        """Bring what the format derives from a package's versions up to date (npm's
        `latest` tag and summary) after the core changed them: a deletion through the API,
        the admin or retention, a proxy's sync. Runs inside the core's transaction, which
        then tells readers the package changed (the hook need not)."""


_registry: dict[str, Format] = {}


def register(fmt: Format) -> None:
    if fmt.name in _registry and type(_registry[fmt.name]) is not type(fmt):
        raise RuntimeError(f"format {fmt.name!r} registered twice")
    _registry[fmt.name] = fmt


def get_format(name: str) -> Format:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(
            f"unknown format {name!r}; known: {', '.join(sorted(_registry))}"
        ) from None


def all_formats() -> list[Format]:
    return [_registry[name] for name in sorted(_registry)]


def sort_versions(fmt: Format, versions: list, attr: str = "version") -> list:
    """Versions in the format's order, oldest first."""
    return sorted(versions, key=lambda v: fmt.version_key(getattr(v, attr)))
