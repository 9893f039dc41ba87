"""`python -m bench [--quick]`: every server in turn, alone on this machine, then the report.

Phases: nginx (files from disk), Larder, Larder behind nginx (X-Accel-Redirect downloads,
public files and index documents cached), Larder embedded (`make run` with nothing
configured: SQLite, no Redis), pypiserver, devpi, verdaccio. Each server is stopped when its
phase ends, even on failure.
"""

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import data, machine, measure, peers, phases, report
from bench.config import FULL, QUICK
from bench.model import Results
from bench.servers import devpi, larder, nginx, pypiserver, verdaccio
from bench.targets import EMBEDDED_SCENARIOS
from repository.management.serve import default_workers

BENCH_DIR = Path(__file__).resolve().parent
# Behind nginx, public index pages and packuments may be a second old (docs/operations.md).
SHARED_INDEX_SECONDS = 1
ALL_SERVERS = [
    "nginx", "larder", "larder+nginx", "larder-embedded", "pypiserver", "devpi", "verdaccio",
]  # fmt: skip


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data, 3 s per point")
    parser.add_argument("--duration", type=float, help="seconds per wrk point")
    parser.add_argument("--load-budget", type=float, help="seconds to bulk load one server")
    parser.add_argument(
        "--only", action="append", choices=ALL_SERVERS, help="measure only these (repeatable)"
    )
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results")
    parser.add_argument("--keep", action="store_true", help="keep the work folder and logs")
    return parser.parse_args(argv)


def run_larder(ctx: phases.Context, versions: dict[str, str], wanted: set[str]) -> None:
    tarball_size = len(ctx.dataset.npm_versions[0].tarball)
    paths: list[measure.Scenario] = []  # what was measured, by path: again behind nginx
    with phases.phase(ctx, "larder"), larder.running(ctx.workdir) as server:
        versions["Larder"] = server.version
        phases.load_pypi(ctx, server)
        phases.load_npm(ctx, server)
        scenarios = measure.pypi_scenarios(server, ctx.sizes())
        scenarios += measure.npm_scenarios(server, tarball_size)
        ctx.measure(server, scenarios)
        paths = [dataclasses.replace(s, url=s.url.removeprefix(server.base_url)) for s in scenarios]
        ctx.measure(
            server, measure.group_scenarios(scenarios, larder.PYPI_REPOSITORY, larder.PYPI_GROUP)
        )
        phases.pypi_clients(ctx, server)
        phases.npm_clients(ctx, server)
    if "larder+nginx" not in wanted or not paths:
        return
    front_env = {
        "LARDER_ACCEL_REDIRECT_PREFIX": nginx.ACCEL_PREFIX,
        "LARDER_TRUST_PROXY": "true",
        "LARDER_SHARED_INDEX_SECONDS": str(SHARED_INDEX_SECONDS),
    }
    with (
        phases.phase(ctx, "larder+nginx"),
        larder.running(ctx.workdir, fresh=False, extra_env=front_env, web_only=True) as server,
        nginx.running(
            ctx.workdir,
            ctx.dataset.root,
            name="larder+nginx",
            larder_upstream=server.base_url,
            blob_dir=ctx.workdir / "larder-data" / "blobs",
        ) as front,
    ):
        front.roots += server.roots
        front.is_worker = larder.is_web_worker
        ctx.measure(front, [dataclasses.replace(s, url=front.base_url + s.url) for s in paths])


def run_embedded(ctx: phases.Context, versions: dict[str, str]) -> None:
    """The embedded default, for index pages and packuments (the issue's embedded targets)."""
    tarball_size = len(ctx.dataset.npm_versions[0].tarball)
    with (
        phases.phase(ctx, "larder-embedded"),
        larder.running(ctx.workdir, embedded=True, name="larder-embedded") as server,
    ):
        versions.setdefault("Larder", server.version)
        phases.load_pypi(ctx, server)
        phases.load_npm(ctx, server)
        scenarios = measure.pypi_scenarios(server, ctx.sizes())
        scenarios += measure.npm_scenarios(server, tarball_size)
        ctx.measure(server, [s for s in scenarios if s.key in EMBEDDED_SCENARIOS])


def run_peers(ctx: phases.Context, pkgs: peers.Peers, versions: dict, wanted: set[str]) -> None:
    if "pypiserver" in wanted:
        with (
            phases.phase(ctx, "pypiserver"),
            pypiserver.running(ctx.workdir, pkgs, default_workers()) as server,
        ):
            versions["pypiserver"] = server.version
            phases.load_pypi(ctx, server)
            ctx.measure(server, measure.pypi_scenarios(server, ctx.sizes()))
            phases.pypi_clients(ctx, server)
    if "devpi" in wanted:
        with phases.phase(ctx, "devpi"), devpi.running(ctx.workdir, pkgs) as server:
            versions["devpi-server"] = server.version
            phases.load_pypi(ctx, server)
            ctx.measure(server, measure.pypi_scenarios(server, ctx.sizes()))
            phases.pypi_clients(ctx, server)
    if "verdaccio" in wanted:
        with phases.phase(ctx, "verdaccio"), verdaccio.running(ctx.workdir, pkgs) as server:
            versions["verdaccio"] = server.version
            phases.load_npm(ctx, server)
            tarball_size = len(ctx.dataset.npm_versions[0].tarball)
            ctx.measure(server, measure.npm_scenarios(server, tarball_size))
            phases.npm_clients(ctx, server)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scale = QUICK if args.quick else FULL
    if args.duration:
        scale = dataclasses.replace(scale, duration=args.duration)
    wanted = set(args.only or ALL_SERVERS)
    workdir = Path(tempfile.mkdtemp(prefix="larder-bench-"))
    workdir.chmod(0o755)  # nginx's workers read the artifacts and blobs as another user
    started = time.monotonic()
    results = Results(
        started=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        host=machine.short_host(),
        scale=scale.name,
        duration=scale.duration,
        labels=report.scenario_labels(
            scale.mid_files,
            scale.big_files,
            scale.npm_versions,
            scale.small_file_mb,
            scale.huge_file_mb,
        ),
        machine=machine.machine(),
    )
    results.machine["Larder web workers"] = (
        f"{default_workers()} (one gthread worker of 4 threads each, SO_REUSEPORT)"
    )
    versions: dict[str, str] = {}
    try:
        phases.say(f"work folder {workdir}; installing the peers if needed")
        pkgs = peers.ensure_installed(BENCH_DIR / ".peers")
        dataset = data.build(workdir / "artifacts", scale)
        budget = args.load_budget or (300 if scale is FULL else 90)
        ctx = phases.Context(scale, dataset, results, workdir, budget)
        if "nginx" in wanted:
            with phases.phase(ctx, "nginx"), nginx.running(workdir, dataset.root) as server:
                ctx.measure(server, measure.download_scenarios(server.base_url, ctx.files()))
        if wanted & {"larder", "larder+nginx"}:
            run_larder(ctx, versions, wanted)
        if "larder-embedded" in wanted:
            run_embedded(ctx, versions)
        run_peers(ctx, pkgs, versions, wanted)
        results.versions = machine.versions(versions)
        if machine.git_dirty():
            results.versions["Larder"] += " + uncommitted changes in the work tree"
    finally:
        (workdir / "results.json").write_text(json.dumps(dataclasses.asdict(results), indent=2))
        stem = f"{time.strftime('%Y-%m-%d', time.gmtime())}-{results.host}"
        if args.quick:
            stem += "-quick"
        out = args.out if not args.quick else workdir
        for path in report.write(results, out, stem):
            phases.say(f"wrote {path}")
        phases.say(f"bench finished in {(time.monotonic() - started) / 60:.1f} min")
        if not args.keep:
            shutil.rmtree(workdir / "artifacts", ignore_errors=True)
            shutil.rmtree(workdir / "larder-data", ignore_errors=True)
            shutil.rmtree(workdir / "larder-embedded-data", ignore_errors=True)
    return 1 if results.failures and not results.points else 0


if __name__ == "__main__":
    sys.exit(main())
