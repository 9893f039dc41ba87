"""The real packages the proxy bench's upstreams serve, fetched once per machine.

30 pure-Python wheels whose resolve (on Python 3.11, Linux) is exactly these 30, and 50 npm
tarballs whose dependencies all lie within the 50: `pip --isolated download` and `npm pack`
of pinned versions, into a folder under the temporary directory that later runs reuse. The
folder appears whole or not at all; two runs fetching at once both succeed.
"""

import io
import json
import os
import shutil
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.clients import clean_env
from bench.data import NpmVersion
from bench.procs import run_checked

PYTHON = (
    "anyio==4.6.2", "attrs==24.2.0", "beautifulsoup4==4.12.3", "certifi==2024.8.30",
    "charset-normalizer==3.4.0", "click==8.1.7", "h11==0.14.0", "httpcore==1.0.6",
    "httpx==0.27.2", "idna==3.10", "importlib-metadata==8.5.0", "iniconfig==2.0.0",
    "markdown-it-py==3.0.0", "mdurl==0.1.2", "more-itertools==10.5.0", "packaging==24.1",
    "pluggy==1.5.0", "pygments==2.18.0", "pyparsing==3.2.0", "pytest==8.3.3",
    "python-dateutil==2.9.0.post0", "requests==2.32.3", "rich==13.9.4", "six==1.16.0",
    "sniffio==1.3.1", "soupsieve==2.6", "tabulate==0.9.0", "toml==0.10.2",
    "urllib3==2.2.3", "zipp==3.20.2",
)  # fmt: skip
NPM = (
    "ansi-regex@5.0.1", "ansi-styles@4.3.0", "anymatch@3.1.3", "balanced-match@1.0.2",
    "brace-expansion@1.1.22", "braces@3.0.3", "chalk@4.1.2", "cliui@8.0.1",
    "color-convert@2.0.1", "color-name@1.1.4", "commander@12.1.0", "concat-map@0.0.1",
    "debug@4.3.7", "dotenv@16.4.5", "emoji-regex@8.0.0", "escalade@3.2.0",
    "escape-string-regexp@4.0.0", "fill-range@7.1.1", "get-caller-file@2.0.5",
    "glob-parent@5.1.2", "has-flag@4.0.0", "inherits@2.0.4", "is-extglob@2.1.1",
    "is-fullwidth-code-point@3.0.0", "is-glob@4.0.3", "is-number@7.0.0", "kleur@4.1.5",
    "micromatch@4.0.8", "mime@3.0.0", "minimatch@3.1.2", "minimist@1.2.8", "ms@2.1.3",
    "normalize-path@3.0.0", "once@1.4.0", "picocolors@1.1.1", "picomatch@2.3.2",
    "require-directory@2.1.1", "safe-buffer@5.2.1", "semver@7.6.3", "string-width@4.2.3",
    "strip-ansi@6.0.1", "supports-color@7.2.0", "to-regex-range@5.0.1", "uuid@9.0.1",
    "wrap-ansi@7.0.0", "wrappy@1.0.2", "ws@8.18.0", "y18n@5.0.8", "yargs@17.7.2",
    "yargs-parser@21.1.1",
)  # fmt: skip
_VERSION = "1"  # bump when the lists change, so a stale folder is not reused
# Only wheels every interpreter can install: the platform's own builds are left out.
_PURE = ["--only-binary", ":all:", "--platform", "any", "--implementation", "py",
         "--abi", "none", "--python-version", "3.11"]  # fmt: skip


@dataclass(frozen=True)
class Packages:
    wheels: tuple[Path, ...]
    tarballs: tuple[Path, ...]

    @property
    def requirements(self) -> list[str]:
        """What `uv pip install` is asked for: every project by name, unpinned."""
        return [pin.split("==")[0] for pin in PYTHON]

    @property
    def dependencies(self) -> dict[str, str]:
        """The npm project's dependencies: every package at its exact version."""
        return dict(pin.rsplit("@", 1) for pin in NPM)

    def npm_versions(self) -> list[NpmVersion]:
        return [_npm_version(path) for path in self.tarballs]


def _npm_version(tarball: Path) -> NpmVersion:
    """The tarball with the package.json inside it, as `npm publish` would send them."""
    content = tarball.read_bytes()
    with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as archive:
        member = next(m for m in archive if m.name.count("/") == 1 and
                      m.name.endswith("/package.json"))  # fmt: skip
        manifest = json.load(archive.extractfile(member))
    return NpmVersion(manifest["name"], manifest["version"], manifest, content)


def _fetch(target: Path, home: Path) -> None:
    env = clean_env(home)
    python, npm = target / "python", target / "npm"
    python.mkdir(parents=True)
    npm.mkdir()
    run_checked(
        [sys.executable, "-m", "pip", "--isolated", "--disable-pip-version-check", "-q",
         "download", "--no-deps", *_PURE, "-d", str(python), *PYTHON],
        env=env, timeout=600,
    )  # fmt: skip
    run_checked(["npm", "pack", "--pack-destination", str(npm), *NPM], env=env, cwd=home,
                timeout=600)  # fmt: skip


def folder() -> Path:
    return Path(tempfile.gettempdir()) / f"larder-bench-proxy-packages-{_VERSION}"


def ensure() -> Packages:
    """The packages, fetched first if no run on this machine has."""
    found = folder()
    if not found.is_dir():
        scratch = Path(tempfile.mkdtemp(prefix=found.name + "-", dir=found.parent))
        try:
            (scratch / "home").mkdir()
            _fetch(scratch / "result", scratch / "home")
            os.rename(scratch / "result", found)  # whole or not at all
        except OSError:
            if not found.is_dir():
                raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    wheels = tuple(sorted((found / "python").glob("*.whl")))
    tarballs = tuple(sorted((found / "npm").glob("*.tgz")))
    if len(wheels) != len(PYTHON) or len(tarballs) != len(NPM):
        raise RuntimeError(f"{found} holds {len(wheels)} wheels and {len(tarballs)} tarballs")
    return Packages(wheels, tarballs)
