"""The real clients, timed: `twine upload`, `npm publish`, a cold `uv pip install`; for the
proxy bench also `uv pip compile` and `npm install`.

Each runs with a HOME and caches of its own in a temporary folder, so no configuration of
this machine (pip.conf, PIP_FIND_LINKS, ~/.npmrc) changes what it does. That folder is in
memory where the machine offers it (/dev/shm): what is measured is the server, and a client
creating thousands of files on a slow disk (1 ms a file seen here) would hide it.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from bench.data import NpmVersion
from bench.load import NpmTarget, PypiTarget

VENV_BIN = Path(sys.executable).parent


def _in_memory_folder() -> str | None:
    """/dev/shm if it is a writable folder; otherwise the usual temporary folder."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


CLIENT_SCRATCH = _in_memory_folder()


def _scratch(prefix: str) -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix=prefix, dir=CLIENT_SCRATCH)


def clean_env(home: Path) -> dict[str, str]:
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "UV_", "TWINE_", "NPM_", "npm_", "XDG_"))
    }
    return {**kept, "HOME": str(home), "npm_config_cache": str(home / ".npm")}


def _timed(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    started = time.monotonic()
    completed = subprocess.run(
        argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )
    elapsed = time.monotonic() - started
    if completed.returncode != 0:
        raise RuntimeError(
            f"{Path(argv[0]).name} exited {completed.returncode}:\n"
            f"{completed.stdout[-1500:]}\n{completed.stderr[-1500:]}"
        )
    return elapsed


def twine_upload(target: PypiTarget, wheel: Path) -> float:
    with _scratch("bench-twine-") as home:
        argv = [
            str(VENV_BIN / "twine"), "upload", "--non-interactive", "--disable-progress-bar",
            "--repository-url", target.upload_url,
            "-u", target.username, "-p", target.password, str(wheel),
        ]  # fmt: skip
        return _timed(argv, clean_env(Path(home)))


def npmrc(target: NpmTarget) -> str:
    parts = urlsplit(target.registry_url)
    return (
        f"registry={target.registry_url}\n//{parts.netloc}{parts.path}:_authToken={target.token}\n"
    )


def npm_publish(target: NpmTarget, item: NpmVersion) -> float:
    with _scratch("bench-npm-") as folder:
        home, package = Path(folder) / "home", Path(folder) / "package"
        (package / "lib").mkdir(parents=True)
        home.mkdir()
        (package / "package.json").write_text(json.dumps(item.manifest, indent=2))
        (package / "lib" / "index.js").write_text(f"module.exports = {item.version!r};\n")
        (package / "README.md").write_text(f"# {item.name}\n")
        (home / ".npmrc").write_text(npmrc(target))
        argv = [
            "npm",
            "publish",
            "--registry",
            target.registry_url,
            "--no-audit",
            "--ignore-scripts",
        ]
        return _timed(argv, clean_env(home), cwd=package)


@contextlib.contextmanager
def _uv_home() -> Iterator[tuple[Path, dict[str, str]]]:
    """A folder and an environment with an empty UV_CACHE_DIR, both gone afterwards."""
    with _scratch("bench-uv-") as folder:
        root = Path(folder)
        yield root, {**clean_env(root), "UV_CACHE_DIR": str(root / "cache")}
        shutil.rmtree(root / "cache", ignore_errors=True)


def uv_install(simple_url: str, packages: list[str]) -> float:
    """A cold install: a new venv and an empty UV_CACHE_DIR; only the install is timed."""
    uv = str(VENV_BIN / "uv")
    with _uv_home() as (root, env):
        venv = root / "venv"
        _timed([uv, "venv", "--no-config", "-q", "--python", sys.executable, str(venv)], env)
        argv = [
            uv, "pip", "install", "--no-config", "-q",
            "--python", str(venv / "bin" / "python"),
            "--index-url", simple_url, *packages,
        ]  # fmt: skip
        return _timed(argv, env)


def uv_compile(simple_url: str, packages: list[str]) -> float:
    """A resolve with an empty UV_CACHE_DIR, for this interpreter's version: what a lock
    costs, which needs every candidate's metadata and none of its files."""
    with _uv_home() as (root, env):
        requirements = root / "requirements.in"
        requirements.write_text("\n".join(packages) + "\n")
        argv = [
            str(VENV_BIN / "uv"), "pip", "compile", "--no-config", "-q",
            "--python", sys.executable, "--index-url", simple_url,
            "-o", str(root / "requirements.txt"), str(requirements),
        ]  # fmt: skip
        return _timed(argv, env)


def npm_install(registry_url: str, dependencies: dict[str, str]) -> float:
    """`npm install` of a new project with these dependencies and an empty npm cache,
    revalidating what it would otherwise trust (--prefer-online); no audit, no fund."""
    with _scratch("bench-npm-install-") as folder:
        home, project = Path(folder) / "home", Path(folder) / "project"
        home.mkdir()
        project.mkdir()
        (home / ".npmrc").write_text(f"registry={registry_url}\n")
        manifest = {"name": "bench-project", "version": "1.0.0", "private": True,
                    "dependencies": dependencies}  # fmt: skip
        (project / "package.json").write_text(json.dumps(manifest, indent=2))
        argv = [
            "npm", "install", "--registry", registry_url, "--prefer-online",
            "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error",
        ]  # fmt: skip
        return _timed(argv, clean_env(home), cwd=project)


def tool_version(argv: list[str]) -> str:
    completed = subprocess.run(argv, capture_output=True, text=True, check=False)
    lines = (completed.stdout or completed.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"
