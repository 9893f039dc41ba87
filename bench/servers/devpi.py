"""devpi-server (waitress, its defaults) with one private index that has no bases, in
offline mode: it never mirrors or contacts PyPI. With `mirror_url`, the index is instead a
mirror of that simple index (bench.proxy), and the server is online for it alone.
"""

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

from bench.http import Client, basic_auth
from bench.load import PypiTarget
from bench.peers import Peers, python_package_version
from bench.procs import LOOPBACK, free_port, run_checked, started, wait_http
from bench.servers.base import Running

ROOT_PASSWORD = "bench-root-password"
USER, PASSWORD, INDEX = "bench", "bench-password", "dev"


def index_settings(mirror_url: str, cache_seconds: int) -> dict:
    if not mirror_url:
        return {"bases": [], "volatile": False}
    return {"type": "mirror", "mirror_url": mirror_url, "mirror_cache_expiry": cache_seconds}


def _create_index(base: str, settings: dict) -> None:
    client = Client(base)
    for path, auth, body in (
        (f"/{USER}", ("root", ROOT_PASSWORD), {"password": PASSWORD}),
        (f"/{USER}/{INDEX}", (USER, PASSWORD), settings),
    ):
        response = client.request(
            "PUT",
            path,
            json.dumps(body).encode(),
            {
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": basic_auth(*auth),
            },
        )
        if response.status not in (200, 201):
            raise RuntimeError(f"devpi: PUT {path} -> {response.status} {response.body[:300]!r}")


@contextlib.contextmanager
def running(
    workdir: Path,
    peers: Peers,
    *,
    name: str = "devpi",
    mirror_url: str = "",
    cache_seconds: int = 600,
) -> Iterator[Running]:
    """`cache_seconds`: how long a mirror index trusts the simple pages it fetched."""
    port = free_port()
    serverdir = workdir / f"{name}-server"
    run_checked([
        str(peers.venv_bin / "devpi-init"), "--serverdir", str(serverdir),
        "--root-passwd", ROOT_PASSWORD, "--no-root-pypi",
    ])  # fmt: skip
    argv = [
        str(peers.venv_bin / "devpi-server"),
        "--serverdir", str(serverdir),
        "--host", LOOPBACK,
        "--port", str(port),
        *([] if mirror_url else ["--offline-mode"]),
    ]  # fmt: skip
    log = workdir / f"{name}.log"
    with started(argv, log=log) as process:
        base = f"http://{LOOPBACK}:{port}"
        wait_http(f"{base}/+api", process, timeout=120, log=log)
        _create_index(base, index_settings(mirror_url, cache_seconds))
        index = f"{base}/{USER}/{INDEX}/"
        yield Running(
            name=name,
            version=python_package_version(peers, "devpi-server"),
            base_url=base,
            roots=[process.pid],
            pypi=PypiTarget(
                server=name,
                simple_url=f"{index}+simple/",
                upload_url=index,
                username=USER,
                password=PASSWORD,
                # devpi's sqlite keyfs answers 500 ("database is locked") to concurrent uploads.
                upload_concurrency=1,
            ),
            log=log,
        )
