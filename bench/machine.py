"""What the report says about the machine and the software it measured."""

import os
import platform
import socket
import subprocess
import tempfile
from importlib.metadata import version as dist_version
from pathlib import Path

import psycopg
import redis

from bench import wrk
from bench.clients import CLIENT_SCRATCH, VENV_BIN, tool_version
from bench.servers import larder, nginx


def _first(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1]
    except OSError:
        pass
    return "unknown"


def short_host() -> str:
    return socket.gethostname().split(".")[0]


def machine() -> dict[str, str]:
    memory_kb = int(_first("/proc/meminfo", "MemTotal").split()[0])
    return {
        "cores": str(os.cpu_count()),
        "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "CPU": _first("/proc/cpuinfo", "model name"),
        "OS": _first("/etc/os-release", "PRETTY_NAME=").strip('"'),
        "kernel": platform.release(),
        "clients' folders": CLIENT_SCRATCH or f"{tempfile.gettempdir()} (not in memory)",
    }


def _postgres() -> str:
    with psycopg.connect(f"{larder.POSTGRES}/postgres") as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def _redis() -> str:
    return redis.Redis.from_url(larder.REDIS_URL).info("server")["redis_version"]


def _short(line: str, prefix: str) -> str:
    """ "twine version 7.0.0 (readme-renderer: ...)" -> "7.0.0"."""
    return line.removeprefix(prefix).split(" (")[0]


def versions(server_versions: dict[str, str]) -> dict[str, str]:
    found = {
        **server_versions,
        "Python (Larder)": platform.python_version(),
        "Django": dist_version("django"),
        "gunicorn": dist_version("gunicorn"),
        "PostgreSQL": _postgres(),
        "Redis": _redis(),
        "nginx": nginx.version(),
        "Node.js": tool_version(["node", "--version"]),
        "npm": tool_version(["npm", "--version"]),
        "twine": _short(tool_version([str(VENV_BIN / "twine"), "--version"]), "twine version "),
        "uv": _short(tool_version([str(VENV_BIN / "uv"), "--version"]), "uv "),
        "wrk": wrk.version().split(" [")[0].removeprefix("wrk "),
    }
    return {name: value for name, value in found.items() if value}


def git_dirty() -> bool:
    completed = subprocess.run(
        ["git", "-C", str(larder.ROOT), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    )
    return bool(completed.stdout.strip())
