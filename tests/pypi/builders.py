"""Tiny, valid wheels and sdists written with the standard library, for upload tests.

Deterministic (fixed timestamps), so the same arguments give byte-identical files.
"""

import base64
import gzip
import hashlib
import io
import re
import tarfile
import zipfile
from dataclasses import dataclass

FIXED_DATE = (2024, 1, 1, 0, 0, 0)
FIXED_MTIME = 1704067200


@dataclass(frozen=True)
class Dist:
    filename: str
    data: bytes
    metadata: bytes  # the METADATA / PKG-INFO bytes inside
    name: str
    version: str
    filetype: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def escape(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def core_metadata(
    name: str,
    version: str,
    *,
    requires_python: str | None = None,
    summary: str = "A tiny package for tests",
    description: str = "# Tiny\n\nIt says **hello**.\n",
    extra: tuple[str, ...] = (),
) -> bytes:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}", f"Summary: {summary}"]
    if requires_python:
        lines.append(f"Requires-Python: {requires_python}")
    lines += ["License: MIT", "Author: Test Author", "Classifier: Programming Language :: Python"]
    lines += [*extra, "Description-Content-Type: text/markdown"]
    return ("\n".join(lines) + "\n\n" + description).encode()


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for path, data in members.items():
            info = zipfile.ZipInfo(path, FIXED_DATE)
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


def tar_gz_bytes(members: dict[str, bytes], links: dict[str, str] | None = None) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for path, data in members.items():
            info = tarfile.TarInfo(path)
            info.size, info.mtime, info.mode = len(data), FIXED_MTIME, 0o644
            archive.addfile(info, io.BytesIO(data))
        for path, target in (links or {}).items():
            info = tarfile.TarInfo(path)
            info.type, info.linkname, info.mtime = tarfile.SYMTYPE, target, FIXED_MTIME
            archive.addfile(info)
    return gzip.compress(raw.getvalue(), mtime=0)


def make_wheel(name: str, version: str, *, metadata: bytes | None = None, **meta) -> Dist:
    dist = escape(name)
    metadata = metadata if metadata is not None else core_metadata(name, version, **meta)
    dist_info = f"{dist}-{version}.dist-info"
    members = {
        f"{dist}/__init__.py": f'VERSION = "{version}"\n'.encode(),
        f"{dist_info}/METADATA": metadata,
        f"{dist_info}/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: larder-tests\nRoot-Is-Purelib: true\n"
            b"Tag: py3-none-any\n"
        ),
    }
    record = [_record_line(path, data) for path, data in members.items()]
    members[f"{dist_info}/RECORD"] = ("\n".join([*record, f"{dist_info}/RECORD,,"]) + "\n").encode()
    filename = f"{dist}-{version}-py3-none-any.whl"
    return Dist(filename, zip_bytes(members), metadata, name, version, "bdist_wheel")


def make_sdist(name: str, version: str, *, metadata: bytes | None = None, **meta) -> Dist:
    dist = escape(name)
    metadata = metadata if metadata is not None else core_metadata(name, version, **meta)
    root = f"{dist}-{version}"
    members = {
        f"{root}/PKG-INFO": metadata,
        f"{root}/{dist}/__init__.py": f'VERSION = "{version}"\n'.encode(),
    }
    return Dist(f"{root}.tar.gz", tar_gz_bytes(members), metadata, name, version, "sdist")
