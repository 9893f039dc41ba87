"""Larder behind nginx exactly as docs/operations.md#nginx-in-front configures it.

The server blocks are read from the docs (only addresses and paths replaced), so the
documented configuration is what these tests run: files sent by nginx from disk, public
index pages kept for LARDER_SHARED_INDEX_SECONDS (and as long again while nginx refreshes
them in the background; nginx counts whole seconds), private ones never kept.
"""

import hashlib
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings

from bench.servers import nginx as nginx_server
from tests.conftest import PASSWORD
from tests.e2e.conftest import LiveServer, free_port, require_tool, wait_for
from tests.npm.conftest import make_tarball, publish_body
from tests.pypi.builders import make_wheel
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e

# Long enough that a twine upload on a busy CI machine finishes well inside it.
SHARED_INDEX_SECONDS = 8


@dataclass
class Front:
    url: str  # nginx
    larder: LiveServer
    folder: Path  # nginx's prefix: its config, logs and the inner server's socket

    def page(self, repository: str, project: str) -> str:
        """A project's PEP 503 page, through nginx."""
        return f"{self.url}/repository/{repository}/simple/{project}/"

    def upload(self, clients: Clients, repository: str, wheel: Path) -> None:
        """twine upload through nginx, as `deployer`."""
        clients.twine_upload(
            f"{self.url}/repository/{repository}/legacy/", "deployer", PASSWORD, wheel
        )

    def larder_count(self, pattern: str) -> int:
        """How many lines of Larder's log match `pattern`."""
        return len(re.findall(pattern, (self.larder.data_dir / "server.log").read_text()))

    def larder_logged(self, pattern: str, timeout: float = 10, count: int = 1) -> bool:
        """Whether Larder's access log shows `pattern` `count` times (gunicorn logs after it
        answers)."""
        deadline = time.monotonic() + timeout
        while self.larder_count(pattern) < count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True


@pytest.fixture
def front(start_live_server, tmp_path):
    """A live Larder configured as the guide says, and nginx in front of it."""
    larder = start_live_server(
        {
            "LARDER_TRUST_PROXY": "true",
            "LARDER_ACCEL_REDIRECT_PREFIX": nginx_server.ACCEL_PREFIX,
            "LARDER_SHARED_INDEX_SECONDS": str(SHARED_INDEX_SECONDS),
        }
    )
    folder = tmp_path / "nginx"
    folder.mkdir()
    port = free_port()
    config = folder / "nginx.conf"
    # As root: nginx's default user may not read the test's blob folder.
    config.write_text(
        nginx_server.config(folder, port, folder, larder.url, settings.LARDER_BLOB_DIR, user="root")
    )
    nginx = require_tool("nginx")
    subprocess.run([nginx, "-t", "-p", str(folder), "-c", str(config)], check=True)
    process = subprocess.Popen([nginx, "-p", str(folder), "-c", str(config)])
    try:
        wait_for(f"http://127.0.0.1:{port}/-/health", process)
        yield Front(f"http://127.0.0.1:{port}", larder, folder)
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str, **headers: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def file_link(page: str, body: bytes, filename: str) -> str:
    """The URL a PEP 503 page gives for one of its files."""
    href = re.search(rf'href="([^"#]*{re.escape(filename)})[#"]', body.decode()).group(1)
    return urljoin(page, href)


def bearer(token: str) -> str:
    return f"Bearer {token}"


def tcp_peers(port: int) -> set[int]:
    """The other end's port of every loopback TCP connection to or from `port` the kernel
    still knows (open, or closed and in TIME_WAIT)."""
    peers = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, remote, state = line.split()[1:4]
        ports = int(local.split(":")[1], 16), int(remote.split(":")[1], 16)
        if state != "0A" and port in ports:  # 0A: listening
            peers.add(ports[1] if ports[0] == port else ports[0])
    return peers


def unix_connections(path: Path) -> int:
    """Open connections accepted on the Unix socket at `path` (the listener not counted)."""
    lines = Path("/proc/net/unix").read_text().splitlines()[1:]
    return sum(1 for line in lines if line.endswith(f" {path}")) - 1


def test_public_pages_come_from_nginx_and_show_a_publish_within_the_shared_seconds(
    front, make_repository, tmp_path
):
    clients = Clients(tmp_path)
    make_repository("py-front", "pypi")
    page = front.page("py-front", "cached-pkg")
    front.upload(clients, "py-front", clients.write(make_wheel("cached-pkg", "1")))

    assert b"cached_pkg-1-py3" in get(page)[1]  # now in nginx's cache
    cached = time.monotonic()
    front.upload(clients, "py-front", clients.write(make_wheel("cached-pkg", "2")))
    assert b"cached_pkg-2-py3" not in get(page)[1], "nginx should still serve its copy"

    # Expired: the next install gets the old copy at once, not after a wait on Larder,
    # and nginx fetches the new one in the background (stale-while-revalidate).
    # nginx counts whole seconds: its copy is fresh for up to SHARED_INDEX_SECONDS + 1.
    time.sleep(max(0.0, cached + SHARED_INDEX_SECONDS + 1.5 - time.monotonic()))
    assert b"cached_pkg-2-py3" not in get(page)[1], "a request waited for the refresh"
    refreshing = time.monotonic()
    while b"cached_pkg-2-py3" not in get(page)[1]:
        assert time.monotonic() - refreshing < 3, "the background refresh never landed"
        time.sleep(0.2)
    clients.pip_install(f"{front.url}/repository/py-front/simple/", "cached-pkg==2", tmp_path / "t")
    assert (tmp_path / "t" / "cached_pkg" / "__init__.py").read_text() == 'VERSION = "2"\n'


def test_nginx_never_hands_a_private_page_or_file_to_someone_without_access(
    front, make_repository, reader, make_token, tmp_path
):
    clients = Clients(tmp_path)
    make_repository("py-secret", "pypi", private=True)
    wheel = clients.write(make_wheel("secret-pkg", "1"))
    front.upload(clients, "py-secret", wheel)
    page = front.page("py-secret", "secret-pkg")
    token = bearer(make_token(reader, readonly=True))

    status, body = get(page, Authorization=token)
    assert status == 200
    file = file_link(page, body, wheel.name)
    assert get(file, Authorization=token) == (200, wheel.read_bytes())
    assert get(page)[0] == 401
    assert get(file)[0] == 401


def test_a_repository_made_private_leaves_the_cache_within_twice_the_shared_seconds(
    front, make_repository, tmp_path
):
    clients = Clients(tmp_path)
    repository = make_repository("py-closing", "pypi")
    wheel = clients.write(make_wheel("closing-pkg", "1"))
    front.upload(clients, "py-closing", wheel)
    page = front.page("py-closing", "closing-pkg")
    assert get(page)[0] == 200  # now in nginx's cache

    repository.anonymous_read = False
    repository.save()
    closed = time.monotonic()
    # s-maxage, then as long again stale while nginx refreshes (whole seconds): never longer.
    while get(page)[0] != 401:
        assert time.monotonic() - closed < 2 * SHARED_INDEX_SECONDS + 2, "the page stayed public"
        time.sleep(0.2)
    time.sleep(1)
    assert [get(page)[0] for _ in range(5)] == [401] * 5


def test_nginx_keeps_each_host_its_own_packument(front, make_repository, deployer, make_token):
    """Tarball URLs are absolute: a copy made for one host name must not go to another."""
    make_repository("npm-front", "npm")
    body = publish_body("hosts", "1.0.0", make_tarball({"name": "hosts", "version": "1.0.0"}))
    request = urllib.request.Request(
        f"{front.url}/repository/npm-front/hosts",
        data=json.dumps(body).encode(),
        method="PUT",
        headers={"Content-Type": "application/json", "Authorization": bearer(make_token(deployer))},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201)

    for host in ("one.example", "two.example"):
        status, packument = get(f"{front.url}/repository/npm-front/hosts", Host=host)
        assert status == 200
        tarball = json.loads(packument)["versions"]["1.0.0"]["dist"]["tarball"]
        assert tarball.startswith(f"http://{host}/repository/npm-front/")


def test_nginx_sends_files_from_disk_when_larder_says_so(front, make_repository, tmp_path):
    clients = Clients(tmp_path)
    make_repository("py-accel", "pypi")
    wheel = clients.write(make_wheel("accel-pkg", "1"))
    front.upload(clients, "py-accel", wheel)
    page = front.page("py-accel", "accel-pkg")
    path = urlsplit(file_link(page, get(page)[1], wheel.name)).path
    with urllib.request.urlopen(front.url + path, timeout=30) as response:
        assert response.read() == wheel.read_bytes()
        headers = response.headers
    # Larder answered with headers only (X-Accel-Redirect); nginx sent the bytes, with the
    # headers the guide puts back.
    assert front.larder_logged(rf'"GET {re.escape(path)} HTTP/1.1" 200 0 ')
    assert headers.get_all("X-Content-Type-Options") == ["nosniff"]
    assert headers["X-Checksum-Sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()


def test_nginx_answers_range_requests_of_public_and_private_files(
    front, make_repository, reader, make_token, tmp_path
):
    """pip and uv resume downloads with Range: a private file must not come back whole."""
    clients = Clients(tmp_path)
    make_repository("py-ranges", "pypi")
    make_repository("py-ranges-private", "pypi", private=True)
    token = bearer(make_token(reader, readonly=True))
    wheel = clients.write(make_wheel("range-pkg", "1"))
    results = {}
    for name, auth in (("py-ranges", {}), ("py-ranges-private", {"Authorization": token})):
        front.upload(clients, name, wheel)
        page = front.page(name, "range-pkg")
        file = file_link(page, get(page, **auth)[1], wheel.name)
        request = urllib.request.Request(file, headers={"Range": "bytes=0-9", **auth})
        with urllib.request.urlopen(request, timeout=30) as response:
            results[name] = (response.status, response.read())
    assert results == {n: (206, wheel.read_bytes()[:10]) for n in results}


def test_nginx_keeps_its_connections_to_larder_open(front):
    """A connection per request would cost Larder an accept and a TCP handshake each time,
    and leave a socket in TIME_WAIT behind every request."""
    port = urlsplit(front.larder.url).port
    before = tcp_peers(port)
    answered = front.larder_count('"GET /-/health HTTP/1.1" 200')
    for _ in range(20):
        assert get(f"{front.url}/-/health")[0] == 200
    assert front.larder_logged('"GET /-/health HTTP/1.1" 200', count=answered + 20)
    # One connection for each nginx worker (one per core) at most.
    assert len(tcp_peers(port) - before) <= (os.cpu_count() or 1) < 20
    assert unix_connections(front.folder / "inner.sock") >= 1


def test_every_answer_carries_its_own_request_id_also_from_the_cache(
    front, make_repository, tmp_path
):
    clients = Clients(tmp_path)
    make_repository("py-ids", "pypi")
    wheel = clients.write(make_wheel("ids-pkg", "1"))
    front.upload(clients, "py-ids", wheel)
    page = front.page("py-ids", "ids-pkg")
    file = file_link(page, get(page)[1], wheel.name)
    ids = []
    for _ in range(3):  # the first fills nginx's cache, the others come from it
        with urllib.request.urlopen(file, timeout=30) as response:
            assert response.read() == wheel.read_bytes()
            ids.append(response.headers.get_all("X-Request-Id"))
    assert front.larder_count(rf'"GET {re.escape(urlsplit(file).path)} ') == 1
    assert all(len(found) == 1 for found in ids)
    assert len({found[0] for found in ids}) == 3
