"""nginx serving the artifact files straight from disk: the physical limit for downloads.

With `larder_upstream` it instead fronts Larder as docs/operations.md deploys it: requests go
to gunicorn, Larder's X-Accel-Redirect answers are served by nginx from the blob folder, and
what Larder marks public (files; index pages with LARDER_SHARED_INDEX_SECONDS) is cached.
"""

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from bench.procs import LOOPBACK, free_port, started, wait_http
from bench.servers.base import Running

NGINX = "/usr/sbin/nginx"
ACCEL_PREFIX = "/_larder_blobs"


def config(
    prefix: Path, port: int, files: Path, larder_upstream: str = "", blob_dir: Path | None = None
) -> str:
    servers = ""
    if larder_upstream:
        # As docs/operations.md#nginx-in-front deploys it: this server caches what Larder
        # marks public and passes the rest to an inner one, which sends files from disk
        # when Larder answers with X-Accel-Redirect (nginx never caches those answers).
        inner = prefix / "inner.sock"
        servers = f"""
  upstream larder {{
    server {larder_upstream.removeprefix("http://")};
    keepalive 64;
  }}
  upstream larder_inner {{
    server unix:{inner};
    keepalive 64;
  }}
  proxy_cache_path {prefix}/cache levels=1:2 keys_zone=larder_files:10m max_size=2g
                   inactive=10m use_temp_path=off;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $http_host;
  client_max_body_size 0;
  server {{
    listen unix:{inner};
    location / {{
      proxy_pass http://larder;
    }}
    location {ACCEL_PREFIX}/ {{
      internal;
      alias {blob_dir}/;
    }}
  }}"""
        locations = """
    location / {
      proxy_pass http://larder_inner;
      proxy_cache larder_files;
      proxy_cache_key $scheme$host$request_uri;
      proxy_cache_lock on;
      proxy_cache_background_update on;
      proxy_force_ranges on;
    }"""
    else:
        locations = f"""
    location / {{
      root {files};
    }}"""
    return f"""
daemon off;
master_process on;
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
  scgi_temp_path {prefix}/scgi;{servers}
  server {{
    listen {LOOPBACK}:{port};{locations}
  }}
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
