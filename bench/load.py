"""Bulk loading through each server's real upload protocol, with a thread pool.

PyPI: twine's legacy multipart POST. npm: `npm publish`'s PUT of a JSON document with the
tarball attached. Any answer other than success stops the run: measuring a half-loaded
server would be measuring nothing.
"""

import base64
import hashlib
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote

from bench.data import NpmVersion, Wheel
from bench.http import Client, Response, basic_auth, multipart


@dataclass
class PypiTarget:
    server: str
    simple_url: str  # ends with /simple/ (or the server's equivalent), trailing slash
    upload_url: str
    username: str
    password: str
    upload_concurrency: int = 4


@dataclass
class NpmTarget:
    server: str
    registry_url: str  # trailing slash
    token: str
    # Publishes of one package: some servers serialize them on a lock and fail when contended.
    publish_concurrency: int = 4


class LoadError(RuntimeError):
    pass


def upload_fields(wheel: Wheel, content: bytes) -> list[tuple[str, str]]:
    fields = [
        (":action", "file_upload"),
        ("protocol_version", "1"),
        ("name", wheel.project),
        ("version", wheel.version),
        ("filetype", "bdist_wheel"),
        ("pyversion", "py3"),
        ("metadata_version", "2.1"),
        ("summary", f"Synthetic benchmark package {wheel.project}"),
        ("requires_python", ">=3.8"),
        ("sha256_digest", hashlib.sha256(content).hexdigest()),
        ("blake2_256_digest", hashlib.blake2b(content, digest_size=32).hexdigest()),
    ]
    return fields + [("requires_dist", requirement) for requirement in wheel.requires]


def upload_wheel(client: Client, target: PypiTarget, wheel: Wheel) -> Response:
    content = wheel.path.read_bytes()
    body, content_type = multipart(
        upload_fields(wheel, content), "content", wheel.filename, content
    )
    response = client.request(
        "POST",
        target.upload_url,
        body,
        {
            "Content-Type": content_type,
            "Authorization": basic_auth(target.username, target.password),
        },
    )
    if response.status not in (200, 201):
        raise LoadError(f"{target.server}: upload of {wheel.filename} -> {response.status} "
                        f"{response.body[:300]!r}")  # fmt: skip
    return response


def publish_body(target: NpmTarget, item: NpmVersion, tag: str = "latest") -> bytes:
    tarball = item.tarball
    manifest = {
        **item.manifest,
        "_id": f"{item.name}@{item.version}",
        "dist": {
            "shasum": hashlib.sha1(tarball).hexdigest(),
            "integrity": "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode(),
            "tarball": f"{target.registry_url}{item.name}/-/{item.filename}",
        },
    }
    document = {
        "_id": item.name,
        "name": item.name,
        "description": item.manifest.get("description", ""),
        "dist-tags": {tag: item.version},
        "versions": {item.version: manifest},
        "access": None,
        "_attachments": {
            item.filename: {
                "content_type": "application/octet-stream",
                "data": base64.b64encode(tarball).decode(),
                "length": len(tarball),
            }
        },
    }
    return json.dumps(document).encode()


def publish(client: Client, target: NpmTarget, item: NpmVersion) -> Response:
    response = client.request(
        "PUT",
        "/" + quote(item.name, safe="@"),
        publish_body(target, item),
        {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {target.token}",
            "npm-command": "publish",
        },
    )
    if response.status not in (200, 201):
        raise LoadError(f"{target.server}: publish of {item.name}@{item.version} -> "
                        f"{response.status} {response.body[:300]!r}")  # fmt: skip
    return response


@dataclass
class Loaded:
    count: int
    seconds: float


def run_pool(items: list, action: Callable, concurrency: int, budget: float) -> Loaded:
    """Apply action to items in order on `concurrency` threads until done or `budget`
    seconds have passed (a slow server then holds a prefix of the data); the first error wins.
    """
    started = time.monotonic()
    deadline = started + budget

    def guarded(item) -> bool:
        if time.monotonic() > deadline:
            return False
        action(item)
        return True

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        done = sum(future.result() for future in [pool.submit(guarded, item) for item in items])
    return Loaded(done, time.monotonic() - started)


def load_pypi(target: PypiTarget, wheels: list[Wheel], budget: float = 3600) -> Loaded:
    client = Client(target.upload_url)
    return run_pool(wheels, lambda wheel: upload_wheel(client, target, wheel),
                    target.upload_concurrency, budget)  # fmt: skip


def load_npm(target: NpmTarget, versions: list[NpmVersion], budget: float = 3600) -> Loaded:
    client = Client(target.registry_url)
    return run_pool(versions, lambda item: publish(client, target, item),
                    target.publish_concurrency, budget)  # fmt: skip
