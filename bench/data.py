"""Synthetic but valid artifacts: wheels (stdlib zipfile) and npm tarballs (tarfile).

Everything is deterministic, so every server receives byte-identical files, and nginx
serves the very files the others were loaded with.
"""

import base64
import hashlib
import io
import json
import random
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.config import Scale

_ZIP_DATE = (2024, 1, 1, 0, 0, 0)
_TAR_MTIME = 1_704_067_200
BIG_PROJECT = "big-project"
MID_PROJECT = "mid-project"
SMALL_FILE_PROJECT = "file-small"
HUGE_FILE_PROJECT = "file-huge"
NPM_PACKAGE = "big-npm-package"
# typescript-like: a handful of dependencies and a long devDependencies list per version.
_NPM_DEPENDENCIES = ["tslib", "source-map-support", "semver", "picocolors", "fast-glob"]
_NPM_DEV_DEPENDENCIES = [
    "@types/node", "@types/mocha", "@types/chai", "@typescript-eslint/parser",
    "@typescript-eslint/eslint-plugin", "eslint", "eslint-plugin-import", "mocha", "chai",
    "c8", "esbuild", "prettier", "glob", "chalk", "diff", "minimist", "ms", "which",
    "del", "fs-extra", "rimraf", "yargs", "jsonc-parser", "playwright", "typescript",
]  # fmt: skip


@dataclass
class Wheel:
    project: str
    version: str
    path: Path
    requires: list[str] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return self.path.name


@dataclass
class NpmVersion:
    name: str
    version: str
    manifest: dict
    tarball: bytes

    @property
    def filename(self) -> str:
        return f"{self.name}-{self.version}.tgz"


@dataclass
class Dataset:
    root: Path
    wheels: list[Wheel]
    npm_versions: list[NpmVersion]
    install_set: list[str]

    def wheel(self, project: str) -> Wheel:
        return next(w for w in self.wheels if w.project == project)

    def files_of(self, project: str) -> list[Wheel]:
        return [w for w in self.wheels if w.project == project]

    def load_order(self) -> list[Wheel]:
        """What the measurements need first, so a server too slow to load everything within
        its time budget still holds the install set, the big files and the mid project.
        """
        first = [SMALL_FILE_PROJECT, HUGE_FILE_PROJECT, *self.install_set, MID_PROJECT]
        rank = {project: position for position, project in enumerate(first)}
        rank[BIG_PROJECT] = len(first)
        return sorted(self.wheels, key=lambda wheel: rank.get(wheel.project, len(first) + 1))


def version_number(index: int) -> str:
    """A distinct, ordered release number for the index-th version."""
    return f"{index // 400}.{(index // 20) % 20}.{index % 20}"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def wheel_bytes(project: str, version: str, requires: list[str], payload: bytes = b"") -> bytes:
    """A minimal pure-Python wheel that pip, uv and twine accept."""
    module = project.replace("-", "_")
    dist_info = f"{module}-{version}.dist-info"
    metadata = "\n".join(
        [
            "Metadata-Version: 2.1",
            f"Name: {project}",
            f"Version: {version}",
            f"Summary: Synthetic benchmark package {project}",
            "Requires-Python: >=3.8",
            *[f"Requires-Dist: {requirement}" for requirement in requires],
            "",
            "",
        ]
    )
    files = {
        f"{module}/__init__.py": f'__version__ = "{version}"\n'.encode(),
        f"{dist_info}/METADATA": metadata.encode(),
        f"{dist_info}/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: larder-bench\nRoot-Is-Purelib: true\n"
            b"Tag: py3-none-any\n"
        ),
    }
    if payload:
        files[f"{module}/payload.bin"] = payload
    record = "\n".join(_record_line(name, data) for name, data in files.items())
    files[f"{dist_info}/RECORD"] = f"{record}\n{dist_info}/RECORD,,\n".encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = (
                zipfile.ZIP_STORED if name.endswith(".bin") else zipfile.ZIP_DEFLATED
            )
            archive.writestr(info, data)
    return buffer.getvalue()


def write_wheel(folder: Path, project: str, version: str, requires=(), payload=b"") -> Wheel:
    module = project.replace("-", "_")
    path = folder / f"{module}-{version}-py3-none-any.whl"
    if not path.exists():
        path.write_bytes(wheel_bytes(project, version, list(requires), payload))
    return Wheel(project, version, path, list(requires))


def npm_manifest(name: str, version: str) -> dict:
    """A package.json shaped like a large real package's."""
    return {
        "name": name,
        "version": version,
        "description": "Synthetic benchmark package shaped like a large compiler's releases",
        "author": "Larder Bench <bench@example.test>",
        "homepage": "https://example.test/big-npm-package",
        "license": "Apache-2.0",
        "keywords": ["bench", "compiler", "language", "javascript"],
        "repository": {"type": "git", "url": "git+https://example.test/big-npm-package.git"},
        "bugs": {"url": "https://example.test/big-npm-package/issues"},
        "main": "./lib/index.js",
        "typings": "./lib/index.d.ts",
        "bin": {"bigc": "./bin/bigc", "bigserver": "./bin/bigserver"},
        "engines": {"node": ">=14.17"},
        "files": ["bin", "lib", "LICENSE.txt", "README.md"],
        "scripts": {"test": "mocha", "build": "node scripts/build.mjs", "lint": "eslint ."},
        "dependencies": {
            dep: f"^{1 + i}.{len(version) % 7}.0" for i, dep in enumerate(_NPM_DEPENDENCIES)
        },
        "devDependencies": {
            dep: f"^{2 + i % 9}.{i}.0" for i, dep in enumerate(_NPM_DEV_DEPENDENCIES)
        },
    }


def tarball_bytes(manifest: dict) -> bytes:
    """An npm package tarball: package/package.json, an entry point and a README."""
    files = {
        "package/package.json": json.dumps(manifest, indent=2).encode(),
        "package/lib/index.js": f"module.exports = {json.dumps(manifest['version'])};\n".encode(),
        "package/README.md": f"# {manifest['name']}\n\nVersion {manifest['version']}.\n".encode(),
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), _TAR_MTIME, 0o644
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def npm_version(name: str, version: str) -> NpmVersion:
    manifest = npm_manifest(name, version)
    return NpmVersion(name, version, manifest, tarball_bytes(manifest))


def _install_set(count: int) -> list[str]:
    return [f"proj-{index:03d}" for index in range(count)]


def _regular_wheels(folder: Path, scale: Scale) -> list[Wheel]:
    """Two releases of each ordinary project; the install set depends on itself in a chain."""
    install_set = set(_install_set(scale.install_set))
    wheels = []
    for index in range(scale.projects - 4):
        project = f"proj-{index:03d}"
        requires = [
            f"proj-{other:03d}>=1.0"
            for other in (index + 1, index + 2)
            if f"proj-{other:03d}" in install_set and project in install_set
        ]
        for version in ("1.0.0", "1.1.0"):
            wheels.append(write_wheel(folder, project, version, requires))
    return wheels


def build(root: Path, scale: Scale) -> Dataset:
    """Write every PyPI artifact under root/pypi/ and every npm tarball under root/npm/."""
    pypi, npm = root / "pypi", root / "npm"
    pypi.mkdir(parents=True, exist_ok=True)
    npm.mkdir(parents=True, exist_ok=True)
    wheels = _regular_wheels(pypi, scale)
    for project, count in ((MID_PROJECT, scale.mid_files), (BIG_PROJECT, scale.big_files)):
        wheels += [write_wheel(pypi, project, version_number(i)) for i in range(count)]
    randomness = random.Random(2024)
    for project, size_mb in (
        (SMALL_FILE_PROJECT, scale.small_file_mb),
        (HUGE_FILE_PROJECT, scale.huge_file_mb),
    ):
        payload = randomness.randbytes(size_mb * 1024 * 1024)
        wheels.append(write_wheel(pypi, project, "1.0.0", payload=payload))
    versions = [npm_version(NPM_PACKAGE, version_number(i)) for i in range(scale.npm_versions)]
    for item in versions:
        (npm / item.filename).write_bytes(item.tarball)
    return Dataset(root, wheels, versions, _install_set(scale.install_set))
