"""Reading a PyPI upstream for a proxy repository: PEP 691 JSON where offered, PEP 503 HTML
otherwise, and PEP 658 metadata for every wheel, even where the upstream has none.

A project page becomes the core's UpstreamPackage: each distribution a file at the path a
hosted repository would store it under, with its sha256, requires-python, yanked state,
size and upload time where the page says. A wheel's METADATA comes from the upstream's
`.metadata` file when it advertises one, otherwise out of the wheel itself by range
requests (the zip's directory, then the one member), otherwise from the whole wheel.
"""

import hashlib
import json
import logging
import re
from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

from packaging.utils import canonicalize_name

from formats.pypi.archives import read_core_metadata
from formats.pypi.metadata import parse_filename
from formats.pypi.paths import CORE_METADATA, METADATA_SUFFIX, file_path
from repository.proxy.client import UpstreamClient, loggable
from repository.proxy.errors import DigestMismatch, UpstreamError, UpstreamNotFound
from repository.proxy.index import (
    IndexRequest,
    UpstreamFile,
    UpstreamPackage,
    UpstreamReader,
    UpstreamVersion,
    WholeFile,
    upstream_time,
)
from repository.proxy.remotezip import RangesRefused, RemoteArchiveError, read_remote_member
from repository.proxy.tee import ExpectedDigest
from repository.refusals import Refusal

logger = logging.getLogger("larder.proxy")

JSON_V1 = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{JSON_V1}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"
_DIGESTS = ("sha256", "md5", "blake2b_256")
_SAFE_FILENAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+!-]*")


class _Anchors(HTMLParser):
    """Every <a> of a PEP 503 page: (href, attributes, text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag) -> None:
        if tag == "a" and self._open is not None:
            self.found.append((self._open, "".join(self._text).strip()))
            self._open = None


def _html_files(body: bytes, url: str) -> list[dict]:
    """A PEP 503 page's links in PEP 691's file shape."""
    parser = _Anchors()
    parser.feed(body.decode("utf-8", errors="replace"))
    files = []
    for attributes, text in parser.found:
        href = attributes.get("href")
        if not href:
            continue
        target, fragment = urldefrag(urljoin(url, href))
        algorithm, _, value = fragment.partition("=")
        yanked = attributes.get("data-yanked")
        core = attributes.get("data-core-metadata") or attributes.get("data-dist-info-metadata")
        files.append(
            {
                "filename": text or target.rsplit("/", 1)[-1],
                "url": target,
                "hashes": {algorithm: value} if algorithm in _DIGESTS and value else {},
                "requires-python": attributes.get("data-requires-python"),
                "yanked": False if yanked is None else (yanked or True),
                "core-metadata": _core_from_html(core),
            }
        )
    return files


def _core_from_html(value: str | None) -> dict | bool:
    if not value:
        return False
    algorithm, _, digest = value.partition("=")
    return {algorithm: digest} if digest else True


def _json_files(body: bytes, url: str) -> list[dict]:
    try:
        page = json.loads(body)
        files = page["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not a PEP 691 project page ({exc.__class__.__name__})") from None
    if not isinstance(files, list):
        raise ValueError("not a PEP 691 project page (files is not a list)")
    usable = [file for file in files if isinstance(file, dict) and isinstance(file.get("url"), str)]
    for file in usable:
        file["url"] = urljoin(url, file["url"])
        file.setdefault("core-metadata", file.get("dist-info-metadata", False))
    return usable


def _file(project: str, entry: dict) -> tuple[str, UpstreamFile] | None:
    """(version, file) of one distribution; None for what is not one (or not this project's,
    or a name no file could have: a path in it would reach other paths here)."""
    if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
        return None
    filename = entry.get("filename")
    if not isinstance(filename, str) or not _SAFE_FILENAME.fullmatch(filename):
        return None
    try:
        dist = parse_filename(filename)
    except Refusal:
        return None
    if dist.project != project:
        return None
    version = str(dist.version)
    hashes = entry.get("hashes") if isinstance(entry.get("hashes"), dict) else {}
    digests = tuple(
        ExpectedDigest(algorithm, hashes[algorithm].lower())
        for algorithm in _DIGESTS
        if isinstance(hashes.get(algorithm), str) and hashes[algorithm]
    )
    core = entry.get("core-metadata") or False
    size = entry.get("size")
    return version, UpstreamFile(
        path=file_path(project, version, filename),
        filename=filename,
        url=entry["url"],
        digests=digests,
        size=size if isinstance(size, int) else None,
        created=upstream_time(entry.get("upload-time")),
        metadata={
            "filetype": dist.filetype,
            "python_version": dist.python_version,
            "requires_python": entry.get("requires-python") or "",
            "upstream_core_metadata": core.get("sha256", True) if isinstance(core, dict) else core,
        },
    )


def _versions(project: str, files: list[dict]) -> tuple[UpstreamVersion, ...]:
    by_version: dict[str, list[UpstreamFile]] = defaultdict(list)
    yanked: dict[str, str | bool] = {}
    for entry in files:
        found = _file(project, entry)
        if found is None:
            continue
        version, file = found
        by_version[version].append(file)
        if entry.get("yanked"):
            yanked.setdefault(version, entry["yanked"])
        else:
            yanked[version] = False
    versions = []
    for version, version_files in by_version.items():
        times = [file.created for file in version_files if file.created is not None]
        reason = yanked.get(version, False)
        versions.append(
            UpstreamVersion(
                version=version,
                files=tuple(version_files),
                created=min(times) if times else None,
                yanked=bool(reason),
                yanked_reason=reason if isinstance(reason, str) else "",
            )
        )
    return tuple(versions)


def _wheel_metadata(project: str):
    def pick(infos):
        found = [
            info
            for info in infos
            if info.filename.count("/") == 1 and info.filename.endswith(".dist-info/METADATA")
        ]
        return found[0] if len(found) == 1 else None

    return pick


class PyPIUpstream(UpstreamReader):
    shown_file_facts = frozenset({"sha256", "size"})  # PEP 691 hashes, PEP 700 size

    def index_request(self, name: str) -> IndexRequest:
        return IndexRequest(path=f"{name}/", accept=ACCEPT)

    def parse(self, name: str, body: bytes, content_type: str, url: str) -> UpstreamPackage:
        if "json" in content_type:
            files = _json_files(body, url)
        elif "html" in content_type or not content_type:
            files = _html_files(body, url)
        else:
            raise ValueError(f"unexpected content type {content_type!r}")
        project = canonicalize_name(name)
        return UpstreamPackage(name=project, display_name=name, versions=_versions(project, files))

    def package_of(self, path: str) -> str | None:
        """`files/<project>/<version>/<filename>` is listed on `<project>`'s page (pip and
        uv with a lock file or `--require-hashes` may ask for it first)."""
        parts = path.split("/")
        return canonicalize_name(parts[1]) if len(parts) == 4 and parts[0] == "files" else None

    def derived_file(self, client: UpstreamClient, file: dict, role: str, whole: WholeFile):
        """A wheel's METADATA (PEP 658), and the fact that advertises its hash."""
        filename = file["path"].rsplit("/", 1)[-1]
        if role != CORE_METADATA or not filename.endswith(".whl"):
            return None
        project = parse_filename(filename).project
        data = self._metadata(client, file, filename, project, whole)
        actual = hashlib.sha256(data).hexdigest()
        promised = file.get("upstream_core_metadata")
        if isinstance(promised, str) and actual != promised.lower():
            # Whether from the upstream's .metadata or read out of the wheel by ranges.
            raise DigestMismatch(f"{filename}.metadata: sha256 {actual}, not {promised}")
        return data, {"core_metadata_sha256": actual}

    def _metadata(
        self, client: UpstreamClient, file: dict, filename: str, project: str, whole: WholeFile
    ) -> bytes:
        url = file["url"]
        if file["cached"]:
            return self._from_wheel(whole, filename, project)
        if file.get("upstream_core_metadata"):
            try:
                return client.get(url + METADATA_SUFFIX).read()
            except UpstreamNotFound:
                pass  # advertised but absent: read it out of the wheel
        try:
            return read_remote_member(client, url, _wheel_metadata(project), keep_whole=whole.keep)
        except RangesRefused:
            logger.info("%s: no range requests; caching the whole wheel", loggable(url))
        except RemoteArchiveError as exc:
            raise UpstreamError(str(exc)) from None
        return self._from_wheel(whole, filename, project)

    def _from_wheel(self, whole: WholeFile, filename: str, project: str) -> bytes:
        """METADATA out of the wheel's stored bytes (fetched and cached first if need be)."""
        with whole() as stream:
            size = stream.seek(0, 2)
            try:
                return read_core_metadata(stream, filename, size, project)
            except Refusal as exc:
                raise UpstreamError(f"{filename}: {exc.message}") from None
