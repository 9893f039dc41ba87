"""Running the real curl against a live server, for the generic format's end-to-end tests.

Each call ignores any ~/.curlrc (-q) and proxies, keeps the response headers and body
apart, and returns the status of the last response curl saw.
"""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.conftest import require_tool


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names, from the last response
    body: bytes
    returncode: int
    stderr: str

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self):
        return json.loads(self.body)


def _last_headers(raw: str) -> dict[str, str]:
    """Headers of the final response (a 100 Continue or a redirect may come first)."""
    blocks = [block for block in raw.replace("\r\n", "\n").split("\n\n") if block.strip()]
    headers = {}
    for line in blocks[-1].splitlines()[1:] if blocks else []:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return headers


class Curl:
    def __init__(self, workdir: Path) -> None:
        self.binary = require_tool("curl")
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._calls = 0

    def __call__(self, *args: str, output: Path | None = None, stdin: bytes = b"") -> Response:
        """curl <args>; the body goes to `output` when given (then Response.body is empty).

        `stdin` feeds `-T -` (curl then sends the body chunked, its length unknown).
        """
        self._calls += 1
        header_file = self.workdir / f"headers-{self._calls}"
        body_file = output or self.workdir / f"body-{self._calls}"
        command = [
            self.binary,
            "-q",
            "--silent",
            "--show-error",
            "--noproxy",
            "*",
            "--dump-header",
            str(header_file),
            "--write-out",
            "%{http_code}",
            "--output",
            str(body_file),
            *args,
        ]
        result = subprocess.run(
            command, cwd=self.workdir, input=stdin, capture_output=True, timeout=120
        )
        raw_headers = header_file.read_text("latin-1") if header_file.exists() else ""
        body = b"" if output is not None or not body_file.exists() else body_file.read_bytes()
        return Response(
            status=int(result.stdout.decode() or 0),
            headers=_last_headers(raw_headers),
            body=body,
            returncode=result.returncode,
            stderr=result.stderr.decode(errors="replace"),
        )
