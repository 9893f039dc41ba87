"""Verdaccio 6 with local storage and no uplinks, so it never contacts a registry; or, with
`uplink`, a proxy of that one registry (bench.proxy).
"""

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

from bench.http import Client
from bench.load import NpmTarget
from bench.peers import Peers
from bench.procs import LOOPBACK, free_port, run_checked, started, wait_http
from bench.servers.base import Running

USER, PASSWORD = "bench", "bench-password"


def config(storage: Path, port: int, uplink: str = "", cache_seconds: int = 600) -> str:
    """verdaccio's config.yaml (JSON is valid YAML): no `proxy` on any package pattern, or
    every package proxied to `uplink`, its packuments trusted for `cache_seconds`."""
    rules = {"access": "$all", "publish": "$authenticated", "unpublish": "$authenticated"}
    uplinks = {}
    if uplink:
        uplinks = {"upstream": {"url": uplink, "maxage": f"{cache_seconds}s"}}
        rules["proxy"] = "upstream"
    return json.dumps(
        {
            "storage": str(storage / "storage"),
            "auth": {"htpasswd": {"file": str(storage / "htpasswd"), "max_users": 100}},
            "uplinks": uplinks,
            "packages": {"@*/*": rules, "**": rules},
            "listen": f"{LOOPBACK}:{port}",
            "max_body_size": "300mb",
            "server": {"keepAliveTimeout": 60},
            "log": {"type": "stdout", "format": "pretty", "level": "warn"},
            "publish": {"allow_offline": True},
        },
        indent=2,
    )


def _add_user(base: str) -> str:
    """The token of a new user, as `npm adduser` gets it."""
    response = Client(base).request(
        "PUT",
        f"/-/user/org.couchdb.user:{USER}",
        json.dumps({"name": USER, "password": PASSWORD, "type": "user"}).encode(),
        {"Content-Type": "application/json"},
    )
    if response.status != 201:
        raise RuntimeError(f"verdaccio adduser -> {response.status} {response.body[:300]!r}")
    return response.json()["token"]


@contextlib.contextmanager
def running(
    workdir: Path, peers: Peers, *, name: str = "verdaccio", uplink: str = "", cache_seconds=600
) -> Iterator[Running]:
    port = free_port()
    storage = workdir / name
    storage.mkdir(parents=True, exist_ok=True)
    config_file = storage / "config.yaml"
    config_file.write_text(config(storage, port, uplink, cache_seconds))
    log = workdir / f"{name}.log"
    with started([str(peers.verdaccio), "--config", str(config_file)], log=log) as process:
        base = f"http://{LOOPBACK}:{port}"
        wait_http(f"{base}/-/ping", process, timeout=60, log=log)
        yield Running(
            name=name,
            version=run_checked([str(peers.verdaccio), "--version"]).strip().lstrip("v"),
            base_url=base,
            roots=[process.pid],
            # Verdaccio locks a package's document on each publish and fails a contended one.
            npm=NpmTarget(name, f"{base}/", _add_user(base), publish_concurrency=1),
            log=log,
        )
