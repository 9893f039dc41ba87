"""Real packages from the public registries, fetched once per machine for the upstreams.

`pip download` and `npm pack` fetch small, real distributions (wheels, an sdist, npm
tarballs) into a folder shared by every test process: the first process to ask downloads
them under a file lock, the others wait and reuse them, and later runs on the same machine
find them there. Versions are pinned, so tests can name exact files.
"""

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from filelock import FileLock

from tests.e2e.conftest import require_tool
from tests.pypi.clients import clean_env

# (requirement, kind): kind "wheel" or "sdist". Two versions of six, for "latest" and cooldown.
PYTHON = (
    ("six==1.16.0", "wheel"),
    ("six==1.16.0", "sdist"),
    ("six==1.17.0", "wheel"),
    ("idna==3.10", "wheel"),
    ("packaging==24.2", "wheel"),
    ("attrs==24.3.0", "wheel"),
)
# In publishing order: npm moves `latest` to each version it publishes. to-regex-range
# depends on is-number (reading ahead follows dependencies).
NPM = ("is-number@7.0.0", "ms@2.1.2", "ms@2.1.3", "@types/ms@0.7.34", "to-regex-range@5.0.1")

_VERSION = "2"  # bump when the lists change, so stale folders are not reused


@dataclass(frozen=True)
class RealPackages:
    python: tuple[Path, ...]
    npm: tuple[Path, ...]

    def python_file(self, filename: str) -> Path:
        return next(path for path in self.python if path.name == filename)

    def npm_file(self, filename: str) -> Path:
        return next(path for path in self.npm if path.name == filename)


def _folder() -> Path:
    base = os.environ.get("LARDER_TEST_PACKAGES") or Path(tempfile.gettempdir())
    return Path(base) / f"larder-real-packages-{_VERSION}"


def _download_python(target: Path, home: Path) -> None:
    env = clean_env(home)
    for requirement, kind in PYTHON:
        binary = ["--only-binary", ":all:"] if kind == "wheel" else ["--no-binary", ":all:"]
        subprocess.run(
            [sys.executable, "-m", "pip", "--isolated", "--disable-pip-version-check",
             "download", "--no-deps", *binary, "-d", str(target),
             requirement],
            env=env, check=True, capture_output=True, timeout=300,
        )  # fmt: skip


def _download_npm(target: Path, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "npm_config_userconfig": str(home / ".npmrc"),
        "npm_config_cache": str(home / "npm-cache"),
        "npm_config_update_notifier": "false",
    }
    subprocess.run(
        [require_tool("npm"), "pack", "--pack-destination", str(target), *NPM],
        env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip


@cache
def real_packages() -> RealPackages:
    """The downloaded files; downloads them first if no process on this machine has."""
    folder = _folder()
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock", timeout=600):
        if not folder.is_dir():
            with tempfile.TemporaryDirectory(dir=folder.parent) as scratch:
                work = Path(scratch) / "result"
                (work / "python").mkdir(parents=True)
                (work / "npm").mkdir()
                _download_python(work / "python", Path(scratch) / "home")
                _download_npm(work / "npm", Path(scratch) / "home")
                work.rename(folder)  # whole or not at all
    return RealPackages(
        python=tuple(sorted((folder / "python").iterdir())),
        npm=tuple(sorted((folder / "npm").iterdir())),
    )
