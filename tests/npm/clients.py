"""Running npm, yarn 1, yarn 4 and pnpm against a live Larder, isolated from this machine.

Each client gets its own HOME, caches and config under a temporary directory, the registry
set to the live server, and its update checks and telemetry turned off, so nothing reaches
the public registry.
"""

import json
import os
import select
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import ROOT, require_tool

# Yarn 1 and Yarn 4 both declare a `yarn` bin, so tools/node_modules/.bin/yarn is whichever
# npm linked last: each is run by its own package's script instead.
NODE_SCRIPTS = {
    "yarn": "yarn/bin/yarn.js",
    "yarn-berry": "yarn-berry/bin/yarn.js",
}


def nerf_dart(url: str) -> str:
    """The `//host/path/` key npm scopes credentials by."""
    parts = urlsplit(url)
    return f"//{parts.netloc}{parts.path}"


class NodeClients:
    def __init__(self, root: Path, registry: str) -> None:
        self.root = root
        self.registry = registry
        self.home = root / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.npmrc = self.home / ".npmrc"
        self.configure()
        self.env = {
            "PATH": os.environ["PATH"],
            "LANG": "C.UTF-8",
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "XDG_DATA_HOME": str(self.home / ".local/share"),
            "XDG_STATE_HOME": str(self.home / ".local/state"),
            "npm_config_userconfig": str(self.npmrc),
            "npm_config_cache": str(root / "npm-cache"),
            "npm_config_update_notifier": "false",
            "npm_config_fund": "false",
            "YARN_CACHE_FOLDER": str(root / "yarn-cache"),
            "COREPACK_ENABLE_STRICT": "0",
            "YARN_ENABLE_TELEMETRY": "0",
            "YARN_ENABLE_PROGRESS_BARS": "0",
            # CI=true would make Yarn 4 refuse to write the lockfile `yarn add` changes.
            "YARN_ENABLE_IMMUTABLE_INSTALLS": "0",
        }

    def configure(self, token: str | None = None, scope: str | None = None) -> None:
        """Write ~/.npmrc: this registry, optionally a scope's and a token."""
        lines = [f"registry={self.registry}", "update-notifier=false"]
        if scope:
            lines.append(f"{scope}:registry={self.registry}")
        if token:
            lines.append(f"{nerf_dart(self.registry)}:_authToken={token}")
        self.npmrc.write_text("\n".join(lines) + "\n")

    @staticmethod
    def command(tool: str) -> list[str]:
        """How to start the tool: a script of tools/node_modules under node, or a binary."""
        if tool not in NODE_SCRIPTS:
            return [require_tool(tool)]
        script = ROOT / "tools/node_modules" / NODE_SCRIPTS[tool]
        if not script.is_file():
            pytest.fail(f"{script} is missing: run .ci/run or `make test-deps`", pytrace=False)
        return [require_tool("node"), str(script)]

    def run(
        self,
        tool: str,
        *args: str,
        cwd: Path | None = None,
        stdin: str | None = None,
        check: bool = True,
    ) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*self.command(tool), *args],
            env=self.env,
            cwd=cwd or self.home,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{tool} {' '.join(args)} exited {result.returncode}\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def npm_prompted(self, *args: str, answers: list[tuple[str, str]]) -> tuple[int, str, str]:
        """Run npm answering its prompts one at a time, as a person would.

        npm reads each prompt with a fresh reader: lines piped in all at once are swallowed
        by the first one, so each answer is written only once its prompt has appeared.
        """
        process = subprocess.Popen(
            [require_tool("npm"), *args],
            env=self.env,
            cwd=self.home,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        seen = b""
        for prompt, answer in answers:
            deadline = time.monotonic() + 60
            while prompt.encode() not in seen and time.monotonic() < deadline:
                ready, _, _ = select.select([process.stdout], [], [], 0.5)
                if ready:
                    seen += os.read(process.stdout.fileno(), 4096)
            process.stdin.write(answer.encode() + b"\n")
            process.stdin.flush()
        rest, errors = process.communicate(timeout=120)
        return process.returncode, (seen + rest).decode(), errors.decode()

    def npm(self, *args: str, **options) -> subprocess.CompletedProcess:
        return self.run("npm", *args, **options)

    def npm_json(self, *args: str, **options):
        return json.loads(self.npm(*args, "--json", **options).stdout)

    def write_package(self, name: str, version: str, **manifest) -> Path:
        """A publishable package directory with no dependencies."""
        folder = self.root / "src" / name.replace("/", "__") / version
        folder.mkdir(parents=True, exist_ok=True)
        package = {"name": name, "version": version, "main": "index.js", **manifest}
        (folder / "package.json").write_text(json.dumps(package))
        (folder / "index.js").write_text(f"module.exports = {json.dumps(version)};\n")
        (folder / "README.md").write_text(f"# {name}\n")
        return folder

    def publish(self, name: str, version: str, *args: str, **manifest):
        return self.npm("publish", *args, cwd=self.write_package(name, version, **manifest))

    def consumer(self, label: str) -> Path:
        """An empty project to install into."""
        folder = self.root / "consumers" / label
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text(
            json.dumps({"name": f"consumer-{label}", "version": "1.0.0", "private": True})
        )
        return folder

    def pack_from_public_registry(self, spec: str) -> Path:
        """`npm pack SPEC` with this machine's own npm configuration (the public registry),
        not this client's: a real tarball as the public registry serves it."""
        folder = self.root / "packed"
        folder.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "npm_config_cache": str(self.root / "pack-cache")}
        result = subprocess.run(
            [require_tool("npm"), "pack", spec, "--json", "--pack-destination", str(folder)],
            env=env,
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if result.returncode != 0:
            raise AssertionError(f"npm pack {spec} failed\n{result.stdout}\n{result.stderr}")
        return folder / json.loads(result.stdout)[0]["filename"]

    def installed_version(self, project: Path, name: str) -> str:
        manifest = project / "node_modules" / name / "package.json"
        return json.loads(manifest.read_text())["version"]
