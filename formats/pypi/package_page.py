"""What the UI's package page shows beyond the core's columns: the readme and key facts."""

from formats.pypi.jsonapi import choose_latest
from repository.formats import Format
from repository.models import Package, Version
from repository.rendering import render_readme


def _links(project_urls: dict) -> list[tuple[str, str, bool]]:
    """(label, url, is_web_link): only http(s) URLs from metadata become links."""
    return [
        (label, url, url.lower().startswith(("https://", "http://")))
        for label, url in project_urls.items()
    ]


def package_context(fmt: Format, package: Package) -> dict:
    candidates = Version.objects.filter(package=package).only("pk", "version", "yanked")
    latest = choose_latest(fmt, list(candidates))
    meta = Version.objects.get(pk=latest.pk).metadata if latest is not None else {}
    return {
        "summary": meta.get("summary", ""),
        "requires_python": meta.get("requires_python", ""),
        "license": meta.get("license_expression") or meta.get("license", ""),
        "author": meta.get("author") or meta.get("author_email", ""),
        "project_urls": _links(meta.get("project_urls") or {}),
        "requires_dist": meta.get("requires_dist") or [],
        "readme_html": render_readme(
            meta.get("description", ""), meta.get("description_content_type") or ""
        ),
    }
