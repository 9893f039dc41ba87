"""The peers are installed apart from Larder: a venv for pypiserver and devpi, an npm prefix
for verdaccio, both under bench/.peers/ (idempotent; a stamp file records what is there).
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.procs import run_checked

PYTHON_PEERS = ["pypiserver[cache]", "devpi-server", "gunicorn", "passlib"]
# Verdaccio 6 on Node 20; node-fetch's CommonJS build pinned as the registry requires here.
VERDACCIO_PACKAGE = {
    "name": "larder-bench-peers",
    "private": True,
    "dependencies": {"verdaccio": "^6"},
    "overrides": {"node-fetch@cjs": "2.7.0"},
}


@dataclass
class Peers:
    root: Path

    @property
    def venv_bin(self) -> Path:
        return self.root / "venv" / "bin"

    @property
    def verdaccio(self) -> Path:
        return self.root / "verdaccio" / "node_modules" / ".bin" / "verdaccio"


def _clean_env() -> dict[str, str]:
    """No local wheel folders or pip config: the peers come from the package index."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}


def _install_python(peers: Peers) -> None:
    stamp = peers.root / "venv" / ".installed"
    if stamp.exists() and stamp.read_text() == json.dumps(PYTHON_PEERS):
        return
    run_checked([sys.executable, "-m", "venv", str(peers.root / "venv")])
    pip = [str(peers.venv_bin / "python"), "-m", "pip", "--isolated", "-q"]
    run_checked([*pip, "install", "-U", "pip"], env=_clean_env(), timeout=600)
    run_checked([*pip, "install", *PYTHON_PEERS], env=_clean_env(), timeout=600)
    stamp.write_text(json.dumps(PYTHON_PEERS))


def _install_verdaccio(peers: Peers) -> None:
    folder = peers.root / "verdaccio"
    folder.mkdir(parents=True, exist_ok=True)
    manifest = json.dumps(VERDACCIO_PACKAGE, indent=2)
    stamp = folder / ".installed"
    if stamp.exists() and stamp.read_text() == manifest and peers.verdaccio.exists():
        return
    (folder / "package.json").write_text(manifest)
    run_checked(
        ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=folder,
        timeout=600,
    )
    stamp.write_text(manifest)


def ensure_installed(root: Path) -> Peers:
    peers = Peers(root)
    root.mkdir(parents=True, exist_ok=True)
    _install_python(peers)
    _install_verdaccio(peers)
    return peers


def python_package_version(peers: Peers, distribution: str) -> str:
    completed = subprocess.run(
        [
            str(peers.venv_bin / "python"),
            "-c",
            f"import importlib.metadata as m; print(m.version({distribution!r}))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() or "unknown"
