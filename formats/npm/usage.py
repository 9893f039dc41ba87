"""What the UI's package page shows for an npm package (Format.package_context)."""

from django.http import HttpRequest

from repository.models import Package
from repository.rendering import render_readme

DEPENDENCY_KINDS = (
    ("dependencies", "Dependencies"),
    ("peerDependencies", "Peer dependencies"),
    ("optionalDependencies", "Optional dependencies"),
    ("devDependencies", "Development dependencies"),
)


def _readme_type(filename: str) -> str:
    """npm renders README files as Markdown unless they are plainly text."""
    return "text/plain" if filename.lower().endswith(".txt") else "text/markdown"


def package_context(request: HttpRequest, package: Package) -> dict:
    tags = list(package.tags.select_related("version").order_by("name"))
    latest = next((tag.version for tag in tags if tag.name == "latest"), None)
    metadata = latest.metadata if latest is not None else {}
    manifest = metadata.get("manifest", {})
    dependencies = [
        (label, sorted(manifest[key].items()))
        for key, label in DEPENDENCY_KINDS
        if isinstance(manifest.get(key), dict) and manifest[key]
    ]
    return {
        "latest": latest,
        "dist_tags": tags,
        "description": manifest.get("description", ""),
        "readme_html": render_readme(
            metadata.get("readme", ""), _readme_type(metadata.get("readmeFilename", ""))
        ),
        "dependencies": dependencies,
        "deprecated_count": package.versions.exclude(deprecated="").count(),
    }
