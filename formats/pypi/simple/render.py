"""Rendering a simple-API page dict as PEP 503 HTML or PEP 691 JSON."""

import json
from collections.abc import Callable
from html import escape

from packaging.utils import canonicalize_name

from formats.pypi.simple.negotiation import JSON_V1

_HEAD = (
    "<!DOCTYPE html>\n<html>\n  <head>\n"
    '    <meta name="pypi:repository-version" content="{version}">\n'
    "    <title>{title}</title>\n  </head>\n  <body>\n    <h1>{title}</h1>\n"
)
_TAIL = "  </body>\n</html>\n"


def _page(page: dict, title: str, links: list[str]) -> bytes:
    head = _HEAD.format(version=page["meta"]["api-version"], title=escape(title))
    return (head + "".join(f"    {link}<br>\n" for link in links) + _TAIL).encode()


def _file_link(entry: dict) -> str:
    attributes = [f'href="{escape(entry["url"])}#sha256={entry["hashes"]["sha256"]}"']
    if entry["requires-python"]:
        attributes.append(f'data-requires-python="{escape(entry["requires-python"])}"')
    yanked = entry["yanked"]
    if yanked is not False:
        reason = "" if yanked is True else yanked
        attributes.append(f'data-yanked="{escape(reason)}"')
    if entry["core-metadata"]:
        value = f"sha256={entry['core-metadata']['sha256']}"
        attributes.append(f'data-core-metadata="{value}"')
        attributes.append(f'data-dist-info-metadata="{value}"')
    return f"<a {' '.join(attributes)}>{escape(entry['filename'])}</a>"


def project_list_html(page: dict) -> bytes:
    links = [
        f'<a href="{escape(canonicalize_name(project["name"]))}/">{escape(project["name"])}</a>'
        for project in page["projects"]
    ]
    return _page(page, "Simple index", links)


def project_detail_html(page: dict) -> bytes:
    links = [_file_link(entry) for entry in page["files"]]
    return _page(page, f"Links for {page['name']}", links)


def render(page: dict, content_type: str, to_html: Callable[[dict], bytes]) -> bytes:
    """The page in the negotiated content type (every HTML type shares one body)."""
    if content_type == JSON_V1:
        return json.dumps(page, separators=(",", ":")).encode()
    return to_html(page)
