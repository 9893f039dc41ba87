"""The real upstream registries the proxy tests fetch from, each behind a CountingFront.

- PypiServer: pypiserver, a PyPI upstream with PEP 503 HTML only (no PEP 691 JSON, no PEP
  658 files), whose files answer Range requests.
- Devpi: devpi-server with a hosted index `root/dev`, a PyPI upstream with PEP 691 JSON and
  PEP 658 `.metadata` files, whose files ignore Range requests. Started offline, with no
  `root/pypi` mirror: it never reaches the internet.
- Verdaccio: the npm upstream, with no uplinks (it never reaches the internet); packages are
  published into it with the npm CLI.
- StaticFiles: `python -m http.server` over a folder, the generic upstream (Last-Modified
  and If-Modified-Since, no ETag, no Range).

Each runs on a free loopback port; clients talk to its front (`url`), so tests can count
requests, stop and restart it, and inject faults without touching the server process.
"""

import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from tests.e2e.conftest import free_port, require_tool, wait_for
from tests.pypi.clients import clean_env
from tests.upstreams.front import CountingFront

PASSWORD = "upstream-secret"


class Upstream:
    """A server process and the front clients use; subclasses say how to start and seed."""

    health_path = "/"

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.backend_port = free_port()
        self.front = CountingFront(self.backend_port)
        self._process: subprocess.Popen | None = None
        self._log = workdir / "server.log"

    @property
    def url(self) -> str:
        """Where clients reach the upstream (the front), without a trailing slash."""
        return self.front.url

    @property
    def backend_url(self) -> str:
        return f"http://127.0.0.1:{self.backend_port}"

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str] | None:
        return None

    def prepare(self) -> None:
        """Anything to do before the first start (initialise a data folder...)."""

    def start(self) -> None:
        self.prepare()
        with open(self._log, "ab") as log:
            self._process = subprocess.Popen(
                self.command(),
                cwd=self.workdir,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_for(self.backend_url + self.health_path, self._process, timeout=60)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; its log:\n{self.log()}") from None
        self.front.start()

    def stop(self) -> None:
        self.front.stop()
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def log(self) -> str:
        return self._log.read_text(errors="replace") if self._log.exists() else ""


class PypiServer(Upstream):
    health_path = "/health"

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.packages = workdir / "packages"
        self.packages.mkdir(parents=True, exist_ok=True)

    @property
    def index_url(self) -> str:
        return self.url + "/simple/"

    def command(self) -> list[str]:
        return [
            require_tool("pypi-server"), "run",
            "-i", "127.0.0.1", "-p", str(self.backend_port),
            "-a", ".", "-P", ".",  # no authentication, uploads included
            "--disable-fallback",  # never redirect unknown projects to the public index
            "--hash-algo", "sha256",
            "--backend", "simple-dir",  # reads the folder per request: seeding is a copy
            str(self.packages),
        ]  # fmt: skip

    def seed(self, *files: Path) -> None:
        for path in files:
            shutil.copy2(path, self.packages / path.name)


class Devpi(Upstream):
    health_path = "/+api"
    index = "root/dev"

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.serverdir = workdir / "server"
        self.secret = workdir / "secret"
        self._index_created = False

    @property
    def index_url(self) -> str:
        return f"{self.url}/{self.index}/+simple/"

    def prepare(self) -> None:
        if self.serverdir.exists():
            return
        subprocess.run(
            [require_tool("devpi-init"), "--serverdir", str(self.serverdir), "--no-root-pypi",
             "--root-passwd", PASSWORD],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        # What devpi-gen-secret writes, without its second of start-up.
        self.secret.write_text(secrets.token_urlsafe(48))
        self.secret.chmod(0o600)

    def command(self) -> list[str]:
        return [
            require_tool("devpi-server"),
            "--serverdir", str(self.serverdir),
            "--host", "127.0.0.1", "--port", str(self.backend_port),
            "--offline-mode",  # with no root/pypi mirror: nothing from the internet
            "--enable-core-metadata",  # serve PEP 658 .metadata files
            "--secretfile", str(self.secret),
            # Its key derivation costs ~20 s per start at the defaults; its own test
            # suite lowers these (hidden) options the same way.
            "--argon2-time-cost", "1", "--argon2-memory-cost", "1024",
            "--argon2-parallelism", "1",
            "--threads", "16",
        ]  # fmt: skip

    def start(self) -> None:
        super().start()
        if not self._index_created:
            self._create_index()
            self._index_created = True

    def _create_index(self) -> None:
        request = urllib.request.Request(
            f"{self.backend_url}/{self.index}",
            method="PUT",
            data=json.dumps({"type": "stage", "bases": [], "volatile": True}).encode(),
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": "Basic " + base64.b64encode(f"root:{PASSWORD}".encode()).decode(),
            },
        )
        with urllib.request.urlopen(request, timeout=30):
            pass

    def seed(self, *files: Path) -> None:
        """Upload with twine, straight to the server (the front counts only clients)."""
        subprocess.run(
            [require_tool("twine"), "upload", "--non-interactive", "--disable-progress-bar",
             "--repository-url", f"{self.backend_url}/{self.index}/",
             "-u", "root", "-p", PASSWORD, *map(str, files)],
            env=clean_env(self.workdir), check=True, capture_output=True, timeout=120,
        )  # fmt: skip


class Verdaccio(Upstream):
    health_path = "/-/ping"
    user = "larder"

    @property
    def registry(self) -> str:
        return self.url + "/"

    def prepare(self) -> None:
        storage = self.workdir / "storage"
        # No uplinks: Verdaccio answers only for what was published into it.
        (self.workdir / "config.yaml").write_text(
            f"storage: {storage}\n"
            "auth:\n"
            "  htpasswd:\n"
            f"    file: {self.workdir / 'htpasswd'}\n"
            "    max_users: 10\n"
            "uplinks: {}\n"
            "packages:\n"
            "  '**':\n"
            "    access: $all\n"
            "    publish: $authenticated\n"
            "    unpublish: $authenticated\n"
            "web:\n"
            "  enable: false\n"
            "log: {type: stdout, format: pretty, level: warn}\n"
        )

    def command(self) -> list[str]:
        return [
            require_tool("verdaccio"),
            "--config", str(self.workdir / "config.yaml"),
            "--listen", f"127.0.0.1:{self.backend_port}",
        ]  # fmt: skip

    def environment(self) -> dict[str, str]:
        return {"PATH": os.environ["PATH"], "HOME": str(self.workdir)}

    def _token(self) -> str:
        """Sign up (the first time) or log in, as `npm adduser` does."""
        body = json.dumps({"name": self.user, "password": PASSWORD}).encode()
        url = f"{self.backend_url}/-/user/org.couchdb.user:{self.user}"
        basic = base64.b64encode(f"{self.user}:{PASSWORD}".encode()).decode()
        request = urllib.request.Request(
            url,
            method="PUT",
            data=body,
            headers={"Content-Type": "application/json", "Authorization": f"Basic {basic}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)["token"]
        except urllib.error.HTTPError as exc:
            if exc.code != 401:
                raise
        signup = urllib.request.Request(
            url, method="PUT", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(signup, timeout=30) as response:
            return json.load(response)["token"]

    def seed(self, *tarballs: Path) -> None:
        """`npm publish` each tarball, in order (each becomes `latest` of its package)."""
        home = self.workdir / "publisher"
        home.mkdir(exist_ok=True)
        npmrc = home / ".npmrc"
        npmrc.write_text(
            f"registry={self.backend_url}/\n"
            f"//127.0.0.1:{self.backend_port}/:_authToken={self._token()}\n"
        )
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(home),
            "npm_config_userconfig": str(npmrc),
            "npm_config_cache": str(home / "npm-cache"),
            "npm_config_update_notifier": "false",
        }
        for tarball in tarballs:
            subprocess.run(
                [require_tool("npm"), "publish", str(tarball)],
                env=env, cwd=home, check=True, capture_output=True, timeout=120,
            )  # fmt: skip


class StaticFiles(Upstream):
    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir)
        self.root = workdir / "files"
        self.root.mkdir(parents=True, exist_ok=True)

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "http.server", str(self.backend_port),
            "--bind", "127.0.0.1", "--directory", str(self.root),
        ]  # fmt: skip

    def seed(self, path: str, data: bytes) -> Path:
        """Write `data` at `path` below the served folder."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        return target
