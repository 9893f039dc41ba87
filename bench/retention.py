"""`python -m bench.retention [--packages N --versions N]`: retention over a million versions.

Loads one PyPI repository of packages x versions (a file and a blob each) straight into a
Postgres database of its own, then measures, each phase in a process of its own so its
peak memory is its own: the dry run (the whole preview's totals), the first and a deep
preview page, and the real run (into the trash, audited). While the run works, a probe
process uploads versions and reads index pages of the same packages; its latencies beside
the same probe's on an idle database show whether the run's locks stall anyone. Writes
bench/results/retention-<date>-<host>.md and bench/results/retention-latest.md.

Needs Postgres on 127.0.0.1:5432 (user postgres, trust); it drops and creates the
database `larder_bench_retention` and touches no other.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import machine
from bench.rss import PeakRss

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DATABASE = "larder_bench_retention"
POLICY = {"keep_newest": 10, "older_than_days": 30}
PROBE_SECONDS = int(os.environ.get("BENCH_PROBE_SECONDS", "20"))


def _env(workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LARDER_", "REDIS_URL"))}
    return {
        **env,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "LARDER_DATA_DIR": str(workdir),
        "DJANGO_SETTINGS_MODULE": "repository.settings",
        "PYTHONUNBUFFERED": "1",
    }


def _psql(sql: str, database: str = "postgres") -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-q", "-c", sql],
        check=True,
        capture_output=True,
    )


def _child(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.retention_phases", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def _measured(env: dict, *args: str) -> dict:
    """Run one phase in its own process: its answer, wall time and peak memory."""
    started = time.monotonic()
    process = _child(env, *args)
    with PeakRss([process.pid]) as peak:
        out, _ = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"phase {args} failed ({process.returncode})")
    answer = json.loads(out.strip().splitlines()[-1])
    return {**answer, "seconds": time.monotonic() - started, "peak_mb": peak.process_mb}


def _probe(env: dict, seconds: float) -> subprocess.Popen:
    return _child(env, "probe", str(seconds))


def run(packages: int, versions: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="larder-bench-retention-"))
    env = _env(workdir)
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    _psql(f"CREATE DATABASE {DATABASE}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    results: dict = {"packages": packages, "versions": versions, "policy": POLICY}
    results["load"] = _measured(env, "load", str(packages), str(versions))
    idle = _probe(env, PROBE_SECONDS)
    results["probe_idle"] = json.loads(idle.communicate()[0].strip().splitlines()[-1])
    results["dry_run"] = _measured(env, "dry-run")
    results["first_page"] = _measured(env, "page", "")
    results["deep_page"] = _measured(env, "page", f"pkg-{packages * 9 // 10:06d}")
    probe = _probe(env, 10**6)
    results["run"] = _measured(env, "run")
    probe.send_signal(2)  # SIGINT: report and stop
    results["probe_during_run"] = json.loads(probe.communicate()[0].strip().splitlines()[-1])
    results["after"] = _measured(env, "count")
    return results


def report(results: dict) -> str:
    total = results["packages"] * results["versions"]
    run, dry = results["run"], results["dry_run"]
    idle, busy = results["probe_idle"], results["probe_during_run"]
    lines = [
        f"# Retention over {total:,} versions",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine.short_host()}: "
        f"one PyPI repository of {results['packages']:,} packages x {results['versions']} "
        f"versions (one file and blob each), policy {results['policy']} "
        f"(keeps each package's newest 10 and everything of the last 30 days), trash 7 days.",
        "",
        "| Phase | Time | Peak memory of its process | What it did |",
        "| --- | ---: | ---: | --- |",
        f"| Load (SQL) | {results['load']['seconds']:.0f} s | - | {total:,} versions |",
        f"| Dry run (the whole preview's totals) | {dry['seconds']:.0f} s "
        f"| {dry['peak_mb']:.0f} MB | {dry['versions']:,} versions, {dry['bytes'] / 1e9:.2f} GB |",
        f"| Preview, first page (100 rows) | {results['first_page']['page_seconds']:.2f} s "
        f"| {results['first_page']['peak_mb']:.0f} MB | |",
        f"| Preview, page at 90% of the packages | {results['deep_page']['page_seconds']:.2f} s "
        f"| {results['deep_page']['peak_mb']:.0f} MB | keyset cursor, no OFFSET |",
        f"| Run (into the trash, audited) | {run['seconds']:.0f} s | {run['peak_mb']:.0f} MB "
        f"| {run['versions']:,} versions deleted, {run['bytes'] / 1e9:.2f} GB reclaimable, "
        f"{run['errors']} errors |",
        "",
        "Uploads (a new version into a random package, through the core's services) and",
        "index reads (a PEP 503 page of a random package) by a probe process, alone and",
        "while the run works on the same packages:",
        "",
        "| Probe | Requests | p50 | p99 | Max |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, stats in (("idle", idle), ("during the run", busy)):
        for kind in ("upload", "read"):
            s = stats[kind]
            lines.append(
                f"| {kind}, {label} | {s['count']} | {s['p50'] * 1000:.0f} ms "
                f"| {s['p99'] * 1000:.0f} ms | {s['max'] * 1000:.0f} ms |"
            )
    lines += [
        "",
        f"Versions left: {results['after']['versions']:,}; trash entries: "
        f"{results['after']['trash']:,}; audit events: {results['after']['audit']:,}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.retention", description=__doc__)
    parser.add_argument("--packages", type=int, default=10_000)
    parser.add_argument("--versions", type=int, default=100, help="per package")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    results = run(args.packages, args.versions)
    text = report(results)
    stem = f"retention-{time.strftime('%Y-%m-%d', time.gmtime())}-{machine.short_host()}"
    for name in (f"{stem}.md", "retention-latest.md"):
        (args.out / name).write_text(text)
    (args.out / f"{stem}.json").write_text(json.dumps(results, indent=2))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
