"""A counting, fault-injecting HTTP front for an upstream server under test.

Every upstream fixture (pypiserver, devpi-server, Verdaccio, a static file server) listens
behind one of these, on its own loopback port, so each test can:

- count what Larder asked the upstream for (`requests("/simple/six/")`), to prove "one
  upstream fetch" under concurrency;
- take the upstream down and up again on the same port (`stop()`, `start()`, `down()`),
  cutting open keep-alive connections too, so pooled clients see it go;
- see what was sent (`headers(path)`: credentials, conditional and Range headers);
- make it misbehave the way real upstreams do (`fault(...)`): answer a status (a redirect,
  a 500, a 429), stall, corrupt or cut a body, drop its length, or ignore Range headers.

The front forwards the client's Host header, so servers that build absolute URLs from it
(devpi, Verdaccio) point at the front, never around it. It runs as threads of the test
process: counts and faults are plain attributes, read and set without any protocol.
"""

import fnmatch
import http.client
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Headers that describe one hop, not the message: never forwarded as they came.
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-connection",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
    }
)
_CHUNK = 64 * 1024


@dataclass
class Fault:
    """One way to misbehave, for requests whose path matches `path` (a glob).

    status: answer this status (and `body`) instead of forwarding;
    delay: seconds to wait before answering (a slow upstream; past a read timeout, a hang);
    corrupt: flip a byte of the forwarded body (a hash mismatch downstream);
    cut_after: close the connection after this many body bytes (a broken-off transfer);
    ignore_range: drop the client's Range header (a server without range support);
    drop_length: send the body without Content-Length, ended by closing the connection;
    headers: extra response headers (Retry-After with a 429...);
    times: how many matching requests it applies to (None: until cleared).
    """

    path: str = "*"
    status: int | None = None
    body: bytes = b""
    delay: float = 0.0
    corrupt: bool = False
    cut_after: int | None = None
    ignore_range: bool = False
    drop_length: bool = False
    headers: tuple[tuple[str, str], ...] = ()
    times: int | None = None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, front: "CountingFront") -> None:
        self.front = front
        super().__init__(address, _Handler)

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up (or a connection cut by stop()) is normal here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.front._opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.front._closed(self.connection)

    def log_message(self, format: str, *args) -> None:
        """Quiet: counts are the record."""

    def _handle(self) -> None:
        front = self.server.front
        path = urlsplit(self.path).path
        fault = front._take_fault(path)
        front._count(self.command, path, dict(self.headers.items()))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.status is not None:
            self.send_response(fault.status)
            for name, value in fault.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(fault.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(fault.body)
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        if fault and fault.ignore_range:
            headers = {k: v for k, v in headers.items() if k.lower() not in {"range", "if-range"}}
        upstream = http.client.HTTPConnection(front.backend_host, front.backend_port, timeout=60)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            self._relay(response, fault)
        finally:
            upstream.close()

    def _relay(self, response: http.client.HTTPResponse, fault: Fault | None) -> None:
        self.send_response(response.status, response.reason)
        declared = response.getheader("Content-Length")
        for name, value in response.getheaders():
            if name.lower() not in _HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        for name, value in fault.headers if fault else ():
            self.send_header(name, value)
        if declared is not None and not (fault and fault.drop_length):
            self.send_header("Content-Length", declared)
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD":
            return
        sent = 0
        corrupted = False
        while chunk := response.read(_CHUNK):
            if fault and fault.corrupt and not corrupted:
                chunk = bytes([chunk[0] ^ 0xFF]) + chunk[1:]
                corrupted = True
            if fault and fault.cut_after is not None and sent + len(chunk) > fault.cut_after:
                self.wfile.write(chunk[: fault.cut_after - sent])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(chunk)
            sent += len(chunk)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


class CountingFront:
    """Listens on 127.0.0.1:`port` (a free one by default) and forwards to the backend."""

    def __init__(self, backend_port: int, port: int = 0, backend_host: str = "127.0.0.1") -> None:
        self.backend_host = backend_host
        self.backend_port = backend_port
        self._port = port
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str]] = Counter()
        self._received: list[tuple[str, dict[str, str]]] = []
        self._faults: list[Fault] = []
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        """Listen again, on the same port as before."""
        if self._server is not None:
            return
        self._server = _Server(("127.0.0.1", self._port), self)
        self._port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Refuse new connections and cut the open ones: the upstream is down."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    @contextmanager
    def down(self) -> Iterator[None]:
        self.stop()
        try:
            yield
        finally:
            self.start()

    def fault(self, **options) -> Fault:
        """Misbehave as described (see Fault) until `clear_faults()` or `times` runs out."""
        fault = Fault(**options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def requests(self, path: str | None = None, method: str = "GET") -> int:
        """How many `method` requests reached the front for `path` (a glob), or in all."""
        with self._lock:
            return sum(
                count
                for (verb, seen), count in self._counts.items()
                if verb == method and (path is None or fnmatch.fnmatchcase(seen, path))
            )

    def paths(self, method: str = "GET") -> list[str]:
        """Every path asked for with `method`, once each, in no particular order."""
        with self._lock:
            return [path for (verb, path) in self._counts if verb == method]

    def headers(self, path: str = "*") -> list[dict[str, str]]:
        """The request headers of every request for matching paths, in order."""
        with self._lock:
            return [h for p, h in self._received if fnmatch.fnmatchcase(p, path)]

    def ranges(self, path: str = "*") -> list[str]:
        """The Range headers sent for matching paths, in order."""
        return [h["Range"] for h in self.headers(path) if "Range" in h]

    def reset(self) -> None:
        """Forget counts and faults, for the next test."""
        with self._lock:
            self._counts.clear()
            self._received.clear()
            self._faults.clear()

    def _count(self, method: str, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self._counts[(method, path)] += 1
            self._received.append((path, headers))

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fnmatch.fnmatchcase(path, fault.path):
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def _opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def _closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)
