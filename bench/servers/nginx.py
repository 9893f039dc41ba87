"""nginx serving the artifact files straight from disk: the physical limit for downloads.

With `larder_upstream` it instead fronts Larder with the configuration of
docs/operations.md#nginx-in-front, read from the guide: requests go to gunicorn, Larder's
X-Accel-Redirect answers are served by nginx from the blob folder, and what Larder marks
public (files; index pages with LARDER_SHARED_INDEX_SECONDS) is cached.
"""

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

from bench.procs import LOOPBACK, free_port, started, wait_http
from bench.servers.base import Running

NGINX = "/usr/sbin/nginx"
ACCEL_PREFIX = "/_larder_blobs"
OPERATIONS_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
# What the guide's nginx block says for a real host, and what a run on this machine puts
# there instead; nothing else of the block is changed.
GUIDE_PLACES = {
    "server 127.0.0.1:8000;": "server {larder};",
    "listen 443 ssl;": "listen {listen};",
    "/run/nginx-larder.sock": "{folder}/inner.sock",
    "/var/cache/nginx/larder": "{folder}/cache",
    "/var/lib/larder/data/blobs/": "{blobs}/",
}


def guide_servers(folder: Path, listen: str, larder: str, blobs: Path) -> str:
    """The server blocks of docs/operations.md#nginx-in-front, with local addresses and
    paths: the benchmark and the e2e tests run what operators copy, not a copy of it."""
    section = OPERATIONS_GUIDE.read_text().split("## nginx in front", 1)[1]
    servers = re.search(r"```nginx\n(.*?)```", section, re.S).group(1)
    for documented, local in GUIDE_PLACES.items():
        if documented not in servers:
            raise ValueError(f"docs/operations.md no longer says {documented!r}")
        local = local.format(larder=larder, listen=listen, folder=folder, blobs=blobs)
        servers = servers.replace(documented, local)
    return servers


def config(
    prefix: Path,
    port: int,
    files: Path,
    larder_upstream: str = "",
    blob_dir: Path | None = None,
    user: str = "",
) -> str:
    """nginx.conf for a server on `port`; `user`: whom the workers run as, where nginx's
    default (nobody) may not read the files."""
    listen = f"{LOOPBACK}:{port}"
    if larder_upstream:
        larder = larder_upstream.removeprefix("http://")
        servers = guide_servers(prefix, listen, larder, blob_dir)
    else:
        servers = f"""
  server {{
    listen {listen};
    location / {{
      root {files};
    }}
  }}"""
    return f"""
daemon off;
master_process on;
{f"user {user};" if user else ""}
worker_processes {os.cpu_count() or 1};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  default_type application/octet-stream;
  access_log {prefix}/access.log combined buffer=64k;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path {prefix}/client_body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
{servers}
}}
"""


def version() -> str:
    """nginx prints its version on stderr."""
    completed = subprocess.run([NGINX, "-v"], capture_output=True, text=True, check=False)
    return completed.stderr.strip().removeprefix("nginx version: ")


@contextlib.contextmanager
def running(
    workdir: Path,
    files: Path,
    *,
    name: str = "nginx",
    larder_upstream: str = "",
    blob_dir: Path | None = None,
) -> Iterator[Running]:
    port = free_port()
    prefix = workdir / name
    prefix.mkdir(parents=True, exist_ok=True)
    config_file = prefix / "nginx.conf"
    config_file.write_text(config(prefix, port, files, larder_upstream, blob_dir))
    log = prefix / "stderr.log"
    with started([NGINX, "-p", str(prefix), "-c", str(config_file)], log=log) as process:
        base = f"http://{LOOPBACK}:{port}"
        wait_http(f"{base}/", process, timeout=30, log=log)
        yield Running(name=name, version=version(), base_url=base, roots=[process.pid], log=log)
