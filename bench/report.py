"""The Markdown report: targets first, then every measured point, with Larder/peer ratios."""

from pathlib import Path

from bench.model import Results
from bench.targets import evaluate

PASS, MISS, UNMEASURED = "pass", "**miss**", "not measured"
SCENARIO_ORDER = [
    "simple-html-mid", "simple-html-big", "simple-json-mid", "simple-json-big",
    "simple-html-mid-group", "simple-json-mid-group",
    "packument-full", "packument-abbreviated",
    "wheel-small", "wheel-huge", "npm-tarball",
]  # fmt: skip


def scenario_labels(mid: int, big: int, versions: int, small_mb: int, huge_mb: int) -> dict:
    return {
        "simple-html-mid": f"PEP 503 HTML page, {mid:,} files",
        "simple-html-big": f"PEP 503 HTML page, {big:,} files",
        "simple-json-mid": f"PEP 691 JSON page, {mid:,} files",
        "simple-json-big": f"PEP 691 JSON page, {big:,} files",
        "simple-html-mid-group": f"PEP 503 HTML page, {mid:,} files, through a group of three",
        "simple-json-mid-group": f"PEP 691 JSON page, {mid:,} files, through a group of three",
        "packument-full": f"npm full packument, {versions:,} versions",
        "packument-abbreviated": f"npm abbreviated packument, {versions:,} versions",
        "wheel-small": f"{small_mb} MB wheel download",
        "wheel-huge": f"{huge_mb} MB wheel download",
        "npm-tarball": "npm tarball download",
    }


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}x" if theirs else "n/a"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def verdict_word(passed: bool | None) -> str:
    return UNMEASURED if passed is None else PASS if passed else MISS


def targets_section(results: Results) -> list[str]:
    rows = [[v.target, v.measured, verdict_word(v.passed)] for v in evaluate(results)]
    return ["## Targets", "", *table(["Target", "Measured", "Result"], rows), ""]


def points_section(results: Results) -> list[str]:
    """One table per scenario: every server at every concurrency, and Larder's ratio."""
    lines = ["## Throughput and latency (wrk)", ""]
    keys = [k for k in SCENARIO_ORDER if any(p.scenario == k for p in results.points)]
    for key in keys:
        points = sorted(
            (p for p in results.points if p.scenario == key),
            key=lambda p: (p.concurrency, p.server != "larder", p.server),
        )
        rows = []
        for p in points:
            ours = results.point(key, "larder", p.concurrency)
            rows.append([
                str(p.concurrency), p.server, f"{p.rps:,.0f}", f"{p.mb_per_s:,.1f}",
                f"{p.p50_ms:.1f}", f"{p.p95_ms:.1f}", f"{p.p99_ms:.1f}", str(p.errors),
                f"{p.peak_rss_mb:,.0f}",
                ratio(ours.rps, p.rps) if ours and p.server != "larder" else "",
            ])  # fmt: skip
        header = ["c", "server", "req/s", "MB/s", "p50 ms", "p95 ms", "p99 ms", "errors",
                  "RSS MB", "Larder ÷ server"]  # fmt: skip
        lines += [f"### {results.labels.get(key, key)}", "", *table(header, rows), ""]
    return lines


def timings_section(results: Results) -> list[str]:
    if not results.timings:
        return []
    rows = [
        [t.action, t.server, t.case, f"{t.median:.2f}", ", ".join(f"{s:.2f}" for s in t.seconds)]
        for t in results.timings
    ]
    return [
        "## Publishing and installing (wall clock, seconds)",
        "",
        "`first`: version 1.0.0 of a new package; `onto large`: one more version of the "
        "largest project or package, both after a one-second pause; `right after another`: "
        "one more at once after an `onto large` publish, so it also waits for what that one "
        "left running. `(HTTP)` rows time the bare protocol request, without the client's "
        "start-up.",
        "",
        *table(["action", "server", "case", "median s", "runs"], rows),
        "",
    ]


def memory_section(results: Results) -> list[str]:
    servers = sorted({p.server for p in results.points})
    rows = []
    for server in servers:
        points = [p for p in results.points if p.server == server]
        rows.append([
            server,
            f"{max(p.peak_rss_mb for p in points):,.0f}",
            f"{max(p.peak_process_rss_mb for p in points):,.0f}",
        ])  # fmt: skip
    return [
        "## Peak memory during the measurements",
        "",
        "RSS summed over the server's processes (Larder: supervisor, gunicorn master and "
        "workers, Celery worker and beat), and its largest process (Larder: its largest "
        "gunicorn process).",
        "",
        *table(["server", "peak RSS MB (all processes)", "largest process MB"], rows),
        "",
    ]


def loads_section(results: Results) -> list[str]:
    rows = [
        [load.server, load.what, f"{load.count:,}", f"{load.seconds:.1f}",
         f"{load.count / load.seconds:.1f}" if load.seconds else "", str(load.concurrency)]
        for load in results.loads
    ]  # fmt: skip
    header = ["server", "what", "uploads", "seconds", "per second", "client threads"]
    return ["## Bulk loading", "", *table(header, rows), ""]


def environment_section(machine: dict[str, str], versions: dict[str, str]) -> list[str]:
    """The machine and the software versions a run measured, as every report shows them."""
    return [
        "## Machine",
        "",
        *table(["", ""], [[k, v] for k, v in machine.items()]),
        "",
        "## Versions",
        "",
        *table(["software", "version"], [[k, v] for k, v in versions.items()]),
        "",
    ]


def header_section(results: Results) -> list[str]:
    return [
        f"# Larder benchmark, {results.started} on {results.host}",
        "",
        f"Run: `{results.scale}` scale, {results.duration:g} s per point. "
        "Every server ran alone on loopback, with wrk on the same machine. "
        "How to read this: docs/benchmarks.md.",
        "",
        *environment_section(results.machine, results.versions),
    ]


def failures_section(results: Results) -> list[str]:
    if not results.failures:
        return []
    return ["## Not measured or failed", "", *[f"- {f}" for f in results.failures], ""]


def render(results: Results) -> str:
    sections = [
        header_section(results),
        targets_section(results),
        points_section(results),
        timings_section(results),
        memory_section(results),
        loads_section(results),
        failures_section(results),
    ]
    return "\n".join(line for section in sections for line in section).rstrip() + "\n"


def write(results: Results, folder: Path, stem: str) -> list[Path]:
    """<stem>.md and latest.md in folder; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    text = render(results)
    paths = [folder / f"{stem}.md", folder / "latest.md"]
    for path in paths:
        path.write_text(text)
    return paths
