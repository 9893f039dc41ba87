"""What a `requirements.txt` or a `pylock.toml` (PEP 751) pins, for warming a proxy's cache.

A pylock.toml is told apart by being TOML with a `lock-version`; anything else is read as
requirements, one PEP 508 requirement per logical line (backslash continuations joined,
pip's options such as `--hash` dropped). A requirement pins its version only with a single
`==` (or `===`) without wildcards; any other requirement names the project alone, since
which version an install picks is its resolver's choice.
"""

import re
import tomllib

from packaging.requirements import InvalidRequirement, Requirement

_OPTION = re.compile(r"\s+-")  # where pip's per-requirement options (`--hash=...`) begin
_INCLUDES = ("-r", "-c", "--requirement", "--constraint")

Item = tuple[str, str | None]


def warm_items(text: str) -> list[Item]:
    try:
        lock = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        lock = None
    if lock is not None and "lock-version" in lock:
        return _pylock(lock)
    return _requirements(text)


def _pylock(lock: dict) -> list[Item]:
    packages = lock.get("packages", [])
    if not isinstance(packages, list):
        raise ValueError("pylock.toml: `packages` must be an array of tables")
    items = []
    for number, package in enumerate(packages, 1):
        name = package.get("name") if isinstance(package, dict) else None
        version = package.get("version") if isinstance(package, dict) else None
        if not isinstance(name, str) or not isinstance(version, str | None):
            raise ValueError(f"pylock.toml: package {number} needs a name (and a version)")
        items.append((name, version))
    return items


def _logical_lines(text: str):
    """(number of the first physical line, the line with its continuations joined)."""
    pending, start = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        yield start, pending + line
        pending = ""
    if pending:
        yield start, pending


def _requirements(text: str) -> list[Item]:
    items = []
    for number, line in _logical_lines(text):
        line = re.sub(r"(^|\s)#.*", "", line).strip()
        if line.startswith(_INCLUDES):
            raise ValueError(f"line {number}: {line.split()[0]} is not followed: warm that file")
        if not line or line.startswith("-"):
            continue
        try:
            requirement = Requirement(_OPTION.split(line, maxsplit=1)[0])
        except InvalidRequirement as exc:
            raise ValueError(f"line {number}: not a requirement: {exc}") from None
        if requirement.url:
            raise ValueError(f"line {number}: {requirement.name} comes from a URL, not an index")
        items.append((requirement.name, _pin(requirement)))
    return items


def _pin(requirement: Requirement) -> str | None:
    specifiers = list(requirement.specifier)
    if len(specifiers) != 1 or specifiers[0].operator not in ("==", "==="):
        return None
    version = specifiers[0].version
    return None if version.endswith(".*") else version
