"""`python -m bench.proxy [--quick]`: Larder's proxies against devpi and Verdaccio proxying
the same upstreams, on this machine.

One PyPI upstream (pypiserver, 30 real wheels) and one npm upstream (Verdaccio without
uplinks, 50 real packages) run throughout. Then, each alone beside them: Larder (its
production shape, a database and Redis database of its own) with proxy repositories of
both; devpi-server with a mirror index of the pypiserver; a Verdaccio with an uplink to the
npm upstream. Each is timed with cold installs (the proxy's cache empty) and warm ones (its
cache filled), the client's cache empty every time; and the bytes of a cold `uv pip
compile` through Larder, devpi and straight against pypiserver are counted. Writes
bench/results/proxy-<date>-<host>.md and .json, and bench/results/proxy-latest.md.
"""

import argparse
import contextlib
import dataclasses
import functools
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import clients, load, machine, peers, phases, proxy_packages
from bench.proxy_packages import Packages
from bench.proxy_report import (
    DEVPI,
    DIRECT,
    LARDER,
    NPM_DIRECT,
    NPM_INSTALL,
    UV_COMPILE,
    UV_INSTALL,
    VERDACCIO,
    ProxyResults,
    Transfer,
    write,
)
from bench.relay import relayed
from bench.servers import devpi, larder, pypiserver, verdaccio
from repository.management.serve import default_workers

BENCH_DIR = Path(__file__).resolve().parent
DATABASE = "larder_bench_proxy"  # not bench's: the two may run at once
REDIS_URL = "redis://127.0.0.1:6379/13"
# How long the peers trust an index document they fetched: Larder's default metadata TTL.
CACHE_SECONDS = 600
RUNS = {"full": 5, "quick": 2}
FORMATS = ["pypi", "npm"]


@dataclass
class Upstreams:
    pypi: str  # the pypiserver's simple index URL
    npm: str  # the npm upstream's registry URL


@dataclass
class Run:
    results: ProxyResults
    workdir: Path
    peers: peers.Peers
    packages: Packages
    upstreams: Upstreams
    formats: set[str]

    def say(self, message: str) -> None:
        phases.say(message)

    def record_transfer(self, server: str, simple_url: str, base_url: str) -> None:
        """The bytes a cold `uv pip compile` against simple_url (on base_url) was sent."""
        with relayed(base_url) as relay:
            clients.uv_compile(relay.url(simple_url), self.packages.requirements)
        self.results.transfers.append(Transfer(UV_COMPILE, server, relay.sent))
        self.say(f"  {UV_COMPILE} through {server}: {relay.sent:,} bytes")

    def cold_then_warm(
        self,
        server: str,
        action: str,
        fresh: Callable[[int], contextlib.AbstractContextManager[str]],
        install: Callable[[str], float],
    ) -> None:
        """Cold runs, each through a proxy with an empty cache (`fresh(i)` opens one and
        gives its URL), then warm runs through the last of them, its cache now filled."""
        runs = self.results.runs
        with contextlib.ExitStack() as kept:
            warm_url: list[str] = []

            def cold(index: int) -> float:
                with contextlib.ExitStack() as stack:
                    url = stack.enter_context(fresh(index))
                    seconds = install(url)
                    if index == runs - 1:
                        kept.enter_context(stack.pop_all())
                        warm_url.append(url)
                    return seconds

            phases.time_runs(self, server, action, "cold",
                             [functools.partial(cold, i) for i in range(runs)])  # fmt: skip
            if warm_url:
                phases.time_runs(self, server, action, "warm",
                                 [functools.partial(install, warm_url[0])] * runs)  # fmt: skip


def _uv_install(run: Run) -> Callable[[str], float]:
    return functools.partial(clients.uv_install, packages=run.packages.requirements)


def _npm_install(run: Run) -> Callable[[str], float]:
    return functools.partial(clients.npm_install, dependencies=run.packages.dependencies)


def run_larder(run: Run, versions: dict[str, str]) -> None:
    with (
        phases.phase(run, LARDER),
        larder.running(run.workdir, database=DATABASE, redis_url=REDIS_URL) as server,
    ):
        versions["Larder"] = server.version

        @contextlib.contextmanager
        def proxy(fmt: str, name: str, upstream: str) -> Iterator[str]:
            """A new proxy repository: its cache is empty. Its URL (PyPI: the simple index)."""
            argv = ["repo", "create", name, "--format", fmt, "--kind", "proxy",
                    "--upstream", upstream]  # fmt: skip
            larder.command(run.workdir, argv, database=DATABASE, redis_url=REDIS_URL)
            repository = f"{server.base_url}/repository/{name}/"
            yield repository + "simple/" if fmt == "pypi" else repository

        if "pypi" in run.formats:
            fresh = functools.partial(proxy, "pypi", upstream=run.upstreams.pypi)
            run.cold_then_warm(LARDER, UV_INSTALL, lambda i: fresh(f"pypi-cold-{i}"),
                               _uv_install(run))  # fmt: skip
            with fresh("pypi-resolve") as simple_url:
                run.record_transfer(LARDER, simple_url, server.base_url)
        if "npm" in run.formats:
            fresh = functools.partial(proxy, "npm", upstream=run.upstreams.npm)
            run.cold_then_warm(LARDER, NPM_INSTALL, lambda i: fresh(f"npm-cold-{i}"),
                               _npm_install(run))  # fmt: skip


def run_devpi(run: Run, versions: dict[str, str]) -> None:
    @contextlib.contextmanager
    def mirror(index: int | str) -> Iterator[str]:
        """A new devpi-server with a mirror index of the upstream: its cache is empty."""
        with devpi.running(
            run.workdir / f"devpi-{index}",
            run.peers,
            name=DEVPI,
            mirror_url=run.upstreams.pypi,
            cache_seconds=CACHE_SECONDS,
        ) as server:
            versions["devpi-server"] = server.version
            yield server.pypi.simple_url  # fmt: skip

    with phases.phase(run, DEVPI):
        run.cold_then_warm(DEVPI, UV_INSTALL, mirror, _uv_install(run))
        with mirror("resolve") as simple_url:
            run.record_transfer(DEVPI, simple_url, simple_url)


def run_verdaccio(run: Run, versions: dict[str, str]) -> None:
    @contextlib.contextmanager
    def uplinked(index: int) -> Iterator[str]:
        """A new Verdaccio with an uplink to the upstream: its storage is empty."""
        with verdaccio.running(
            run.workdir / f"verdaccio-{index}",
            run.peers,
            name=VERDACCIO,
            uplink=run.upstreams.npm,
            cache_seconds=CACHE_SECONDS,
        ) as server:
            versions["verdaccio"] = server.version
            yield server.npm.registry_url  # fmt: skip

    with phases.phase(run, VERDACCIO):
        run.cold_then_warm(VERDACCIO, NPM_INSTALL, uplinked, _npm_install(run))


def run_direct(run: Run) -> None:
    """The clients straight against the upstreams: the floor under every proxy's time."""
    with phases.phase(run, "upstreams (direct)"):
        for fmt, server, action, url, install in (
            ("pypi", DIRECT, UV_INSTALL, run.upstreams.pypi, _uv_install(run)),
            ("npm", NPM_DIRECT, NPM_INSTALL, run.upstreams.npm, _npm_install(run)),
        ):
            if fmt in run.formats:
                phases.time_runs(run, server, action, "no proxy",
                                 [functools.partial(install, url)] * run.results.runs)  # fmt: skip


@contextlib.contextmanager
def upstreams(run_dir: Path, pkgs: peers.Peers, packages: Packages) -> Iterator[Upstreams]:
    """pypiserver serving the wheels and a Verdaccio the npm packages were published to."""
    folder = run_dir / "upstreams"
    with (
        pypiserver.running(folder, pkgs, default_workers(), seed=packages.wheels) as pypi,
        verdaccio.running(folder, pkgs, name="npm-upstream") as npm,
    ):
        load.load_npm(npm.npm, packages.npm_versions())
        yield Upstreams(pypi=pypi.pypi.simple_url, npm=npm.npm.registry_url)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.proxy", description=__doc__)
    parser.add_argument("--quick", action="store_true", help=f"{RUNS['quick']} runs a case")
    parser.add_argument("--only", action="append", choices=FORMATS, help="this format only")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and logs")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scale = "quick" if args.quick else "full"
    formats = set(args.only or FORMATS)
    workdir = Path(tempfile.mkdtemp(prefix="larder-bench-proxy-"))
    started = time.monotonic()
    results = ProxyResults(
        started=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        host=machine.short_host(),
        scale=scale,
        runs=RUNS[scale],
        machine=machine.machine(),
    )
    results.machine["Larder web workers"] = str(default_workers())
    versions: dict[str, str] = {}
    try:
        phases.say(f"work folder {workdir}; installing the peers and fetching packages if needed")
        pkgs = peers.ensure_installed(BENCH_DIR / ".peers")
        packages = proxy_packages.ensure()
        results.python, results.npm = packages.requirements, packages.dependencies
        with upstreams(workdir, pkgs, packages) as urls:
            versions["pypiserver"] = peers.python_package_version(pkgs, "pypiserver")
            run = Run(results, workdir, pkgs, packages, urls, formats)
            run_direct(run)
            run_larder(run, versions)
            if "pypi" in formats:
                run_devpi(run, versions)
                run.record_transfer(DIRECT, urls.pypi, urls.pypi)
            if "npm" in formats:
                run_verdaccio(run, versions)
        results.versions = machine.versions(versions)
        if machine.git_dirty() and "Larder" in results.versions:
            results.versions["Larder"] += " + uncommitted changes in the work tree"
    finally:
        stem = f"proxy-{time.strftime('%Y-%m-%d', time.gmtime())}-{results.host}"
        out = args.out if not args.quick else workdir
        if args.quick:
            stem += "-quick"
        for path in write(results, out, stem):
            phases.say(f"wrote {path}")
        (out / f"{stem}.json").write_text(json.dumps(dataclasses.asdict(results), indent=2))
        phases.say(f"bench.proxy finished in {(time.monotonic() - started) / 60:.1f} min")
        if not args.keep and not args.quick:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
