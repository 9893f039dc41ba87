"""pypiserver under gunicorn (its documented production setup) with as many workers as
Larder, its cached directory backend, uploads open (no passwords), no fallback to PyPI.
"""

import contextlib
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from bench.load import PypiTarget
from bench.peers import Peers, python_package_version
from bench.procs import LOOPBACK, free_port, started, wait_http
from bench.servers.base import Running


@contextlib.contextmanager
def running(
    workdir: Path, peers: Peers, workers: int, seed: Iterable[Path] = ()
) -> Iterator[Running]:
    """`seed`: files served from the start, without an upload."""
    port = free_port()
    packages = workdir / "pypiserver-packages"
    packages.mkdir(parents=True, exist_ok=True)
    for path in seed:
        shutil.copy(path, packages / path.name)
    app = (
        f"pypiserver:app(roots=[{str(packages)!r}], authenticate=[], password_file='.', "
        "disable_fallback=True, backend_arg='cached-dir')"
    )
    argv = [
        str(peers.venv_bin / "gunicorn"),
        "--bind", f"{LOOPBACK}:{port}",
        "--workers", str(workers),
        "--access-logfile", "-",
        app,
    ]  # fmt: skip
    log = workdir / "pypiserver.log"
    with started(argv, log=log) as process:
        base = f"http://{LOOPBACK}:{port}"
        wait_http(f"{base}/health", process, timeout=60, log=log)
        yield Running(
            name="pypiserver",
            version=python_package_version(peers, "pypiserver"),
            base_url=base,
            roots=[process.pid],
            pypi=PypiTarget(
                server="pypiserver",
                simple_url=f"{base}/simple/",
                upload_url=f"{base}/",
                username="bench",
                password="unused",
            ),
            log=log,
        )
