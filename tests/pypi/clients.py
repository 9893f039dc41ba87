"""Running the real Python clients (pip, uv, twine) isolated from this machine's config.

The machine has a global pip config and PIP_* variables pointing at local wheel folders;
a test that must prove a client got its files from Larder strips all of that.
"""

import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import require_tool
from tests.pypi.builders import Dist


def clean_env(home: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PIP_", "UV_", "TWINE_", "VIRTUAL_ENV"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        UV_CACHE_DIR=str(home / "uv-cache"),
        UV_PYTHON_DOWNLOADS="never",
        PIP_NO_CACHE_DIR="1",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return env


class Clients:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = clean_env(home)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            args, env=self.env, capture_output=True, text=True, timeout=180, cwd=self.home
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
        return result

    def write(self, dist: Dist, folder: str = "dist") -> Path:
        path = self.home / folder / dist.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(dist.data)
        return path

    def twine_upload(self, url: str, user: str, password: str, *files: Path, check=True):
        return self.run(
            require_tool("twine"),
            "upload",
            "--non-interactive",
            "--disable-progress-bar",
            "--repository-url",
            url,
            "-u",
            user,
            "-p",
            password,
            *map(str, files),
            check=check,
        )

    def uv_publish(self, url: str, token: str, *files: Path, check: bool = True):
        return self.run(
            require_tool("uv"),
            "publish",
            "--no-config",
            "--publish-url",
            url,
            "--token",
            token,
            *map(str, files),
            check=check,
        )

    def pip(self, *args: str, check: bool = True):
        return self.run(
            require_tool("pip"), "--isolated", "--disable-pip-version-check", *args, check=check
        )

    def pip_install(self, index: str, requirement: str, target: Path, check: bool = True):
        return self.pip(
            "install",
            "--no-deps",
            "--target",
            str(target),
            "--index-url",
            index,
            requirement,
            check=check,
        )

    def uv_install(self, index: str, requirement: str) -> Path:
        """Install into a fresh virtualenv made by uv; return its site-packages."""
        uv = require_tool("uv")
        venv = self.home / "uv-venv"
        self.run(uv, "venv", "--no-config", "--python", sys.executable, str(venv))
        python = venv / "bin" / "python"
        self.run(
            uv,
            "pip",
            "install",
            "--no-config",
            "--python",
            str(python),
            "--index-url",
            index,
            requirement,
        )
        return next((venv / "lib").glob("python*/site-packages"))
