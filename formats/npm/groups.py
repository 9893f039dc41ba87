"""How an npm group merges its members' packuments.

Versions come from every member (a version several have is the first member's), `dist-tags`
and the rest of the document from the first member that has the package, `time` from all
of them; every tarball URL is moved to the group, so installs fetch through it. Single
version documents are the first member's.
"""

from typing import Any

from repository.formats import Format
from repository.urlbase import moved_to_group

PACKUMENTS = ("full", "abbreviated")


def _merge(fmt: Format, documents: list[dict]) -> dict:
    versions: dict[str, dict] = {}
    times: dict[str, str] = {}
    for document in documents:
        for version, manifest in document["versions"].items():
            versions.setdefault(version, manifest)
        for name, moment in document.get("time", {}).items():
            times.setdefault(name, moment)
    ordered = sorted(versions, key=fmt.version_key)
    stamps = [document["time"] for document in documents if document.get("time")]
    merged = dict(documents[0])
    merged["versions"] = {version: versions[version] for version in ordered}
    merged["time"] = {
        "created": min(time["created"] for time in stamps),
        "modified": max(time["modified"] for time in stamps),
        **{version: times[version] for version in ordered if version in times},
    }
    if "modified" in merged:  # the abbreviated document's own field
        merged["modified"] = merged["time"]["modified"]
    return merged


def merge_documents(fmt: Format, key: str, group, parts: list[tuple[Any, Any]]) -> Any:
    documents = [moved_to_group(data, member, group) for member, data in parts]
    return _merge(fmt, documents) if key in PACKUMENTS else documents[0]
