"""A loopback TCP relay in front of one server that counts the bytes it sends to clients.

A client pointed at the relay's URL talks to the server unchanged (the relay copies bytes,
it reads no HTTP), so `sent` is what that client's work cost the network, headers included.
"""

import contextlib
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

from bench.procs import LOOPBACK

_CHUNK = 64 * 1024


class Relay:
    def __init__(self, server_url: str) -> None:
        parts = urlsplit(server_url)
        self._server = (parts.hostname, parts.port or 80)
        self._listener = socket.create_server((LOOPBACK, 0))
        self.port = self._listener.getsockname()[1]
        self.sent = 0  # bytes from the server to the clients
        self._lock = threading.Lock()

    def url(self, server_url: str) -> str:
        """server_url (of the relayed server) as reached through the relay."""
        parts = urlsplit(server_url)
        return urlunsplit(parts._replace(netloc=f"{LOOPBACK}:{self.port}"))

    def _pipe(self, source: socket.socket, sink: socket.socket, counted: bool) -> None:
        with contextlib.suppress(OSError):
            while chunk := source.recv(_CHUNK):
                if counted:  # before sending: a client that has the bytes finds them counted
                    with self._lock:
                        self.sent += len(chunk)
                sink.sendall(chunk)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)

    def _serve(self, client: socket.socket) -> None:
        with client, socket.create_connection(self._server) as server:
            upstream = threading.Thread(target=self._pipe, args=(client, server, False))
            upstream.start()
            self._pipe(server, client, True)
            upstream.join()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):  # the listener closed: the relay is done
            while True:
                client, _ = self._listener.accept()
                threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def start(self) -> None:
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        self._listener.close()


@contextlib.contextmanager
def relayed(server_url: str) -> Iterator[Relay]:
    relay = Relay(server_url)
    relay.start()
    try:
        yield relay
    finally:
        relay.close()
