"""What the UI's package page shows beyond the core's columns: the readme and key facts."""

from formats.pypi.jsonapi import choose_latest
from repository.formats import Format
from repository.models import Package, Version
from repository.rendering import render_readme


def package_context(fmt: Format, package: Package) -> dict:
    latest = choose_latest(fmt, list(Version.objects.filter(package=package)))
    meta = latest.metadata if latest is not None else {}
    return {
        "latest_version": latest.version if latest is not None else "",
        "summary": meta.get("summary", ""),
        "requires_python": meta.get("requires_python", ""),
        "license": meta.get("license_expression") or meta.get("license", ""),
        "author": meta.get("author") or meta.get("author_email", ""),
        "project_urls": meta.get("project_urls") or {},
        "requires_dist": meta.get("requires_dist") or [],
        "readme_html": render_readme(
            meta.get("description", ""), meta.get("description_content_type") or ""
        ),
    }
