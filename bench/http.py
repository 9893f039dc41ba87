"""A tiny keep-alive HTTP client for bulk loading, and twine's multipart upload body.

Standard library only: the bench must not add dependencies to Larder's venv.
"""

import base64
import http.client
import json
import threading
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

_RETRYABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


def basic_auth(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


class Client:
    """One connection per thread to one server; safe to share across a thread pool."""

    def __init__(self, base_url: str, headers: dict[str, str] | None = None, timeout=300.0):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.headers = headers or {}
        self.timeout = timeout
        self._local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self._local.connection = connection
        return connection

    def request(self, method: str, path: str, body: bytes | None = None, headers=None) -> Response:
        """path is below the base URL's path; one retry if an idle connection was closed."""
        url = path if path.startswith("http") else self.prefix + path
        merged = {**self.headers, **(headers or {})}
        for attempt in range(2):
            connection = self._connection()
            try:
                connection.request(method, url, body=body, headers=merged)
                response = connection.getresponse()
                data = response.read()
            except _RETRYABLE:
                connection.close()
                self._local.connection = None
                if attempt:
                    raise
                continue
            if response.will_close:
                connection.close()
                self._local.connection = None
            return Response(response.status, dict(response.getheaders()), data)
        raise AssertionError("unreachable")


def multipart(fields: list[tuple[str, str]], file_field: str, filename: str, content: bytes):
    """(body, content type) of a form POST as twine sends it: fields, then the file."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
    )
    parts += [content, f"\r\n--{boundary}--\r\n".encode()]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
