"""How a PyPI group merges its members' simple pages, and the PEP 708 metadata it may add.

A project page is the union of the members' files, the first member that has a filename
winning it, with every version any of them lists; the project list is the union of the
members' projects. File URLs in simple pages are relative to the page, so they already
point at the group. An admin may give a project PEP 708 `tracks` and `alternate-locations`
in the group's settings (`pep708`); the group's page then carries them.
"""

from typing import Any

from packaging.utils import canonicalize_name

from formats.pypi.simple.pages import API_VERSION
from repository.formats import Format
from repository.urlbase import moved_to_group

# PEP 708 metadata is part of the simple API's version 1.2.
PEP708_API_VERSION = "1.2"
PEP708_FIELDS = ("tracks", "alternate-locations")


def _project_list(pages: list[dict]) -> dict:
    names: dict[str, str] = {}
    for page in pages:
        for project in page["projects"]:
            names.setdefault(project["name"].lower(), project["name"])
    return {
        "meta": {"api-version": API_VERSION},
        "projects": [{"name": names[key]} for key in sorted(names)],
    }


def _project_detail(fmt: Format, pages: list[dict], pep708: dict) -> dict:
    files: dict[str, dict] = {}
    versions: set[str] = set()
    for page in pages:
        for entry in page["files"]:
            files.setdefault(entry["filename"], entry)
        versions.update(page["versions"])
    first = pages[0]
    merged = {
        "meta": dict(first["meta"]),
        "name": first["name"],
        "files": list(files.values()),
        "versions": sorted(versions, key=fmt.version_key),
    }
    if pep708.get("tracks"):
        merged["meta"]["tracks"] = list(pep708["tracks"])
    if pep708.get("alternate-locations"):
        merged["alternate-locations"] = list(pep708["alternate-locations"])
    if any(field in pep708 for field in PEP708_FIELDS):
        merged["meta"]["api-version"] = PEP708_API_VERSION
    return merged


def merge_documents(fmt: Format, key: str, group, parts: list[tuple[Any, Any]]) -> Any:
    pages = [data for _, data in parts]
    if not key.startswith("simple:"):  # the JSON API: the first member's project
        member, data = parts[0]
        return moved_to_group(data, member, group)
    if not pages or "projects" in pages[0]:
        return _project_list(pages)
    pep708 = group.settings.get("pep708", {}).get(pages[0]["name"], {})
    return _project_detail(fmt, pages, pep708)


def clean_pep708(settings: dict) -> dict:
    """`pep708`: {project: {"tracks": [url, ...], "alternate-locations": [url, ...]}}."""
    value = settings.get("pep708", {})
    if not isinstance(value, dict):
        raise ValueError("pep708 must map project names to their tracks and alternate-locations")
    cleaned = {}
    for project, fields in value.items():
        if not isinstance(fields, dict) or set(fields) - set(PEP708_FIELDS):
            raise ValueError(
                f"pep708[{project!r}] may only hold {' and '.join(PEP708_FIELDS)}, as lists of URLs"
            )
        for field, urls in fields.items():
            valid = isinstance(urls, list) and all(
                isinstance(url, str) and url.startswith(("https://", "http://")) for url in urls
            )
            if not valid:
                raise ValueError(f"pep708[{project!r}][{field!r}] must be a list of http(s) URLs")
        cleaned[canonicalize_name(project)] = fields
    return {**settings, "pep708": cleaned} if cleaned else settings
