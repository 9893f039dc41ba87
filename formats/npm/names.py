"""npm package names: validation (validate-npm-package-name's rules) and the paths built on them.

We enforce the rules for *new* packages: a hosted repository only ever receives new
publishes. One rule is deliberately left out: names of Node core modules ("events",
"buffer", "punycode"...) are real packages on the public npm registry that people
re-host, so they are accepted.
"""

import re
from urllib.parse import quote

MAX_NAME_LENGTH = 214
_EXCLUDED = {"node_modules", "favicon.ico"}
_SPECIAL = re.compile(r"[~'!()*]")
_SCOPED = re.compile(r"^@([^/]+)/([^/]+)$")


def _url_safe(part: str) -> bool:
    """Whether encodeURIComponent(part) == part (the JavaScript rule npm applies)."""
    return quote(part, safe="-_.!~*'()") == part


def name_errors(name: object) -> list[str]:
    """Why `name` may not be published (empty when it may)."""
    if not isinstance(name, str):
        return ["name must be a string"]
    errors = []
    if not name:
        errors.append("name length must be greater than zero")
    if name.startswith("."):
        errors.append("name cannot start with a period")
    if name.startswith("-"):
        errors.append("name cannot start with a hyphen")
    if name.startswith("_"):
        errors.append("name cannot start with an underscore")
    if name.strip() != name:
        errors.append("name cannot contain leading or trailing spaces")
    if name.lower() in _EXCLUDED:
        errors.append(f"{name.lower()} is not a valid package name")
    if len(name) > MAX_NAME_LENGTH:
        errors.append(f"name can no longer contain more than {MAX_NAME_LENGTH} characters")
    if name.lower() != name:
        errors.append("name can no longer contain capital letters")
    if _SPECIAL.search(name.split("/")[-1]):
        errors.append('name can no longer contain special characters ("~\'!()*")')
    if not _url_safe(name):
        scoped = _SCOPED.match(name)
        if scoped is None or not (_url_safe(scoped[1]) and _url_safe(scoped[2])):
            errors.append("name can only contain URL-friendly characters")
        elif scoped[2].startswith("."):
            errors.append("name cannot start with a period")
    return errors


def bare_name(name: str) -> str:
    """The name without its scope: tarballs are called `<bare>-<version>.tgz`."""
    return name.rsplit("/", 1)[-1]


def tarball_filename(name: str, version: str) -> str:
    return f"{bare_name(name)}-{version}.tgz"


def tarball_path(name: str, version: str) -> str:
    """Where a version's tarball lives below the repository URL (as on the public npm registry)."""
    return f"{name}/-/{tarball_filename(name, version)}"


MAX_TAG_LENGTH = 128


def tag_error(tag: object) -> str | None:
    """Why `tag` cannot be a dist-tag: it must be URL-safe and must not read as a version."""
    if not isinstance(tag, str) or not tag:
        return "a dist-tag must be a non-empty string"
    if len(tag) > MAX_TAG_LENGTH or not _url_safe(tag):
        return f"invalid dist-tag {tag!r}"
    if tag[0].isdigit() or (tag[0] in "v=" and tag[1:2].isdigit()):
        return f"dist-tag {tag!r} must not look like a version or range"
    return None
