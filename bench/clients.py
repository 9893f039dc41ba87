"""The real clients, timed: `twine upload`, `npm publish`, a cold `uv pip install`.

Each runs with a HOME and caches of its own in a temporary folder, so no configuration of
this machine (pip.conf, PIP_FIND_LINKS, ~/.npmrc) changes what it does.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.data import NpmVersion
from bench.load import NpmTarget, PypiTarget

VENV_BIN = Path(sys.executable).parent


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
    with tempfile.TemporaryDirectory(prefix="bench-twine-") as home:
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
    with tempfile.TemporaryDirectory(prefix="bench-npm-") as folder:
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


def uv_install(target: PypiTarget, packages: list[str]) -> float:
    """A cold install: a new venv and an empty UV_CACHE_DIR; only the install is timed."""
    uv = str(VENV_BIN / "uv")
    with tempfile.TemporaryDirectory(prefix="bench-uv-") as folder:
        root = Path(folder)
        env = {**clean_env(root), "UV_CACHE_DIR": str(root / "cache")}
        venv = root / "venv"
        _timed([uv, "venv", "--no-config", "-q", "--python", sys.executable, str(venv)], env)
        argv = [
            uv, "pip", "install", "--no-config", "-q",
            "--python", str(venv / "bin" / "python"),
            "--index-url", target.simple_url, *packages,
        ]  # fmt: skip
        seconds = _timed(argv, env)
        shutil.rmtree(root / "cache", ignore_errors=True)
        return seconds


def tool_version(argv: list[str]) -> str:
    completed = subprocess.run(argv, capture_output=True, text=True, check=False)
    lines = (completed.stdout or completed.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"
