"""Starting the test OpenID provider (tools/oidc-provider.mjs, on the `oidc-provider` npm
package that `make test-deps` installs in tools/) and the LARDER_OIDC_* settings of a
Larder that uses it."""

import json
import shutil
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "oidc-provider.mjs"
CLIENT_ID = "larder"
CLIENT_SECRET = "oidc-client-secret-for-tests"
PROVIDER_NAME = "Test IdP"


@dataclass
class OpenIdProvider:
    url: str

    def larder_env(self) -> dict[str, str]:
        return {
            "LARDER_OIDC_PROVIDER_NAME": PROVIDER_NAME,
            "LARDER_OIDC_CLIENT_ID": CLIENT_ID,
            "LARDER_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "LARDER_OIDC_AUTHORIZATION_ENDPOINT": f"{self.url}/auth",
            "LARDER_OIDC_TOKEN_ENDPOINT": f"{self.url}/token",
            "LARDER_OIDC_USERINFO_ENDPOINT": f"{self.url}/me",
            "LARDER_OIDC_JWKS_ENDPOINT": f"{self.url}/jwks",
            "LARDER_OIDC_END_SESSION_ENDPOINT": f"{self.url}/session/end",
        }


@contextmanager
def running_provider(port: int, larder_url: str, accounts: dict, log_path: Path):
    node = shutil.which("node")
    package = ROOT / "tools/node_modules/oidc-provider/package.json"
    if node is None or not package.exists():
        pytest.fail("oidc-provider is not installed: run `make test-deps`", pytrace=False)
    env = {
        "PATH": "/usr/bin:/bin",
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": f"{larder_url}/oidc/callback/",
        "OIDC_POST_LOGOUT_URI": f"{larder_url}/",
        "OIDC_ACCOUNTS": json.dumps(accounts),
    }
    log = open(log_path, "wb")  # noqa: SIM115 - kept open while it runs
    process = subprocess.Popen(
        [node, str(SCRIPT)], env=env, cwd=ROOT / "tools", stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url + "/.well-known/openid-configuration", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text()) from None
                time.sleep(0.2)
        yield OpenIdProvider(url)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
