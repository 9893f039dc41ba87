"""What a `package-lock.json` (lockfile versions 2 and 3, npm 7 and later) pins, for warming
a proxy's cache.

Its `packages` map has an entry per installed package keyed by where it lands
(`node_modules/a`, `node_modules/a/node_modules/b`); the name is what follows the last
`node_modules/`, or the entry's own `name` for an alias. The root, workspace folders, links
and packages bundled inside another's tarball come from no registry and are left out.
"""

import json

_MARK = "node_modules/"


def warm_items(text: str) -> list[tuple[str, str | None]]:
    try:
        lock = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"package-lock.json: not JSON: {exc}") from None
    if not isinstance(lock, dict) or not isinstance(lock.get("packages"), dict):
        version = lock.get("lockfileVersion") if isinstance(lock, dict) else None
        if version == 1:
            raise ValueError("package-lock.json: version 1 is not read (npm 7 or later writes 2)")
        raise ValueError("package-lock.json: no `packages` map")
    items = []
    for where, entry in lock["packages"].items():
        if _MARK not in where or not isinstance(entry, dict):
            continue
        if entry.get("link") or entry.get("inBundle"):
            continue
        version = entry.get("version")
        if not isinstance(version, str):
            raise ValueError(f"package-lock.json: {where} has no version")
        items.append((entry.get("name") or where.rsplit(_MARK, 1)[1], version))
    return items
