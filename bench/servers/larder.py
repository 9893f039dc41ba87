"""Larder in its production shape: `larder serve` (web processes, a Celery worker and beat)
on Postgres and Redis, with a database of its own that each run starts afresh; or in its
embedded default, as `make run` starts it with nothing configured (SQLite, no Redis, a
filesystem broker, everything in its data folder).
"""

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import redis

from bench.load import NpmTarget, PypiTarget
from bench.procs import LOOPBACK, free_port, run_checked, started, wait_http
from bench.servers.base import Running

DATABASE = "larder_bench"
POSTGRES = f"postgresql://postgres@{LOOPBACK}:5432"
REDIS_URL = f"redis://{LOOPBACK}:6379/14"
ADMIN_PASSWORD = "bench-admin-password"
PYPI_REPOSITORY = "bench-pypi"
NPM_REPOSITORY = "bench-npm"
# A group of three: two empty hosted members asked before the one holding the projects.
PYPI_GROUP = "bench-pypi-group"
GROUP_MEMBERS = ["bench-pypi-empty-1", "bench-pypi-empty-2", PYPI_REPOSITORY]
LARDER = str(Path(sys.executable).parent / "larder")
ROOT = Path(__file__).resolve().parents[2]


def _recreate_database(database: str, redis_url: str) -> None:
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {database}")
    redis.Redis.from_url(redis_url).flushdb()


def larder_env(
    data_dir: Path,
    port: int,
    extra: dict[str, str] | None = None,
    *,
    embedded: bool = False,
    database: str = DATABASE,
    redis_url: str = REDIS_URL,
) -> dict[str, str]:
    """Another bench (bench.proxy) passes a database and Redis of its own, so the two can
    run on one machine at once."""
    services = (
        {} if embedded else {"DATABASE_URL": f"{POSTGRES}/{database}", "REDIS_URL": redis_url}
    )
    unset = ("LARDER_", "DJANGO_", "DATABASE_URL", "REDIS_URL")
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(unset)},
        **({} if embedded else services),
        "LARDER_DATA_DIR": str(data_dir),
        "LARDER_SECRET_KEY": "bench-only-secret-key",
        "LARDER_BIND": f"{LOOPBACK}:{port}",
        "LARDER_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "PYTHONUNBUFFERED": "1",
        # The code of this tree, not whichever checkout the venv's editable install names.
        "PYTHONPATH": str(ROOT),
        **(extra or {}),
    }


def data_folder(workdir: Path, embedded: bool = False) -> Path:
    return workdir / ("larder-embedded-data" if embedded else "larder-data")


def command(workdir: Path, argv: list[str], *, database: str, redis_url: str) -> str:
    """stdout of `larder ARGV` against the deployment `running` started with these."""
    env = larder_env(data_folder(workdir), 0, database=database, redis_url=redis_url)
    return run_checked([LARDER, *argv], env=env, cwd=ROOT)


def _prepare(env: dict[str, str]) -> str:
    """Schema, admin, the repositories (and the PyPI group); the admin's API token."""
    members = [argument for name in GROUP_MEMBERS for argument in ("--member", name)]
    for argv in (
        ["migrate", "-v", "0"],
        ["createadmin"],
        ["repo", "create", PYPI_REPOSITORY, "--format", "pypi"],
        ["repo", "create", NPM_REPOSITORY, "--format", "npm"],
        *(["repo", "create", name, "--format", "pypi"] for name in GROUP_MEMBERS[:-1]),
        ["repo", "create", PYPI_GROUP, "--format", "pypi", "--kind", "group", *members],
    ):
        run_checked([LARDER, *argv], env=env, cwd=ROOT)
    return run_checked([LARDER, "token", "create", "--user", "admin"], env=env, cwd=ROOT).strip()


def version() -> str:
    from importlib.metadata import version as dist_version

    commit = run_checked(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).strip()
    return f"{dist_version('larder')} ({commit})"


def is_web_worker(cmd: str) -> bool:
    return "gunicorn" in cmd


@contextlib.contextmanager
def running(
    workdir: Path,
    *,
    fresh: bool = True,
    extra_env: dict[str, str] | None = None,
    web_only: bool = False,
    name: str = "larder",
    embedded: bool = False,
    database: str = DATABASE,
    redis_url: str = REDIS_URL,
) -> Iterator[Running]:
    """A Larder on a free port; fresh=False reuses the data of the previous run."""
    port = free_port()
    data_dir = data_folder(workdir, embedded)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = larder_env(
        data_dir, port, extra_env, embedded=embedded, database=database, redis_url=redis_url
    )
    token_file = data_dir / "bench-token"
    if fresh:
        if not embedded:
            _recreate_database(database, redis_url)
        token_file.write_text(_prepare(env))
    token = token_file.read_text()
    log = workdir / f"{name}.log"
    argv = [LARDER, "serve", *(["--web-only"] if web_only else [])]
    with started(argv, log=log, env=env, cwd=ROOT, stop_timeout=40) as process:
        base = f"http://{LOOPBACK}:{port}"
        wait_http(f"{base}/-/health", process, timeout=60, log=log)
        repository = f"{base}/repository/"
        yield Running(
            name=name,
            version=version(),
            base_url=base,
            roots=[process.pid],
            pypi=PypiTarget(
                server=name,
                simple_url=f"{repository}{PYPI_REPOSITORY}/simple/",
                upload_url=f"{repository}{PYPI_REPOSITORY}/legacy/",
                username="__token__",
                password=token,
            ),
            npm=NpmTarget(server=name, registry_url=f"{repository}{NPM_REPOSITORY}/", token=token),
            is_worker=is_web_worker,
            log=log,
        )
