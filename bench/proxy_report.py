"""What bench.proxy measured, the issue's proxy targets judged on it, and its Markdown report."""

from dataclasses import dataclass, field
from pathlib import Path

from bench.model import Timing
from bench.report import environment_section, table, verdict_word
from bench.targets import Verdict

LARDER = "larder"
DEVPI = "devpi-mirror"
VERDACCIO = "verdaccio-uplink"
DIRECT = "pypiserver (direct)"  # the upstreams themselves, no proxy: the client's floor
NPM_DIRECT = "npm upstream (direct)"
UV_INSTALL = "uv pip install"
NPM_INSTALL = "npm install"
UV_COMPILE = "uv pip compile"
WARM_RATIO = 2.0  # warm Larder at least this many times faster than the peer's warm cache


@dataclass
class Transfer:
    """Bytes a server sent to one client run (a cold resolve), headers included."""

    action: str
    server: str
    bytes: int


@dataclass
class ProxyResults:
    started: str
    host: str
    scale: str
    runs: int  # of each cold and each warm case
    python: list[str] = field(default_factory=list)  # the requirements installed
    npm: dict[str, str] = field(default_factory=dict)  # the project's dependencies
    machine: dict[str, str] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    timings: list[Timing] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def timing(self, action: str, server: str, case: str) -> Timing | None:
        return next(
            (t for t in self.timings if (t.action, t.server, t.case) == (action, server, case)),
            None,
        )

    def transfer(self, action: str, server: str) -> Transfer | None:
        return next((t for t in self.transfers if (t.action, t.server) == (action, server)), None)


def _speed_verdict(results: ProxyResults, action: str, peer: str, case: str, ratio: float):
    wanted = f"at least {ratio:g}x faster than" if ratio > 1 else "no slower than"
    target = f"{case} `{action}` through Larder {wanted} {peer}'s {case}"
    ours, theirs = results.timing(action, LARDER, case), results.timing(action, peer, case)
    if ours is None or theirs is None or not ours.median:
        return Verdict(target, "not measured", None)
    achieved = theirs.median / ours.median
    measured = (
        f"{achieved:.2f}x ({ours.median:.2f} s vs {theirs.median:.2f} s, medians of "
        f"{len(ours.seconds)} and {len(theirs.seconds)} runs)"
    )
    return Verdict(target, measured, achieved >= ratio)


def _transfer_verdict(results: ProxyResults) -> Verdict:
    target = f"a cold `{UV_COMPILE}` through Larder transfers less than one against pypiserver"
    ours, direct = results.transfer(UV_COMPILE, LARDER), results.transfer(UV_COMPILE, DIRECT)
    if ours is None or direct is None or not direct.bytes:
        return Verdict(target, "not measured", None)
    measured = (
        f"{ours.bytes / direct.bytes:.2f}x ({ours.bytes / 1e6:.2f} MB vs "
        f"{direct.bytes / 1e6:.2f} MB)"
    )
    return Verdict(target, measured, ours.bytes < direct.bytes)


def evaluate(results: ProxyResults) -> list[Verdict]:
    verdicts = []
    for action, peer in ((UV_INSTALL, DEVPI), (NPM_INSTALL, VERDACCIO)):
        verdicts.append(_speed_verdict(results, action, peer, "warm", WARM_RATIO))
        verdicts.append(_speed_verdict(results, action, peer, "cold", 1.0))
    verdicts.append(_transfer_verdict(results))
    return verdicts


def render(results: ProxyResults) -> str:
    verdicts = [[v.target, v.measured, verdict_word(v.passed)] for v in evaluate(results)]
    timings = [
        [t.action, t.server, t.case, f"{t.median:.2f}", ", ".join(f"{s:.2f}" for s in t.seconds)]
        for t in results.timings
    ]
    transfers = [[t.action, t.server, f"{t.bytes:,}"] for t in results.transfers]
    lines = [
        f"# Larder proxy benchmark, {results.started} on {results.host}",
        "",
        f"Run: `{results.scale}`, {results.runs} runs of each cold and warm case. One PyPI "
        f"upstream (pypiserver) serving {len(results.python)} real wheels and one npm upstream "
        f"(Verdaccio, no uplinks) serving {len(results.npm)} real packages ran throughout; "
        "each proxy ran alone beside them, all on loopback. How to read this: "
        "docs/benchmarks.md#proxies.",
        "",
        *environment_section(results.machine, results.versions),
        "## Targets",
        "",
        *table(["Target", "Measured", "Result"], verdicts),
        "",
        "## Installs (wall clock, seconds)",
        "",
        "`cold`: the proxy's cache empty (a new Larder repository, a new devpi-server or "
        "Verdaccio) and the client's too; `warm`: the proxy's cache filled by the cold runs, "
        "the client's cache empty; `no proxy`: straight from the upstream, what the client "
        "itself costs (no proxy can be faster).",
        "",
        *table(["action", "server", "case", "median s", "runs"], timings),
        "",
        "## Bytes a cold resolve transferred",
        "",
        f"`{UV_COMPILE}` of the {len(results.python)} requirements with an empty uv cache and "
        "an empty proxy cache, through a byte-counting relay: what the server sent, headers "
        "included.",
        "",
        *table(["action", "server", "bytes sent to uv"], transfers),
        "",
        "## What was installed",
        "",
        f"PyPI: {', '.join(results.python)}.",
        "",
        f"npm: {', '.join(f'{name}@{version}' for name, version in results.npm.items())}.",
        "",
    ]
    if results.failures:
        lines += ["## Not measured or failed", "", *[f"- {f}" for f in results.failures], ""]
    return "\n".join(lines).rstrip() + "\n"


def write(results: ProxyResults, folder: Path, stem: str) -> list[Path]:
    """<stem>.md and proxy-latest.md in folder; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    text = render(results)
    paths = [folder / f"{stem}.md", folder / "proxy-latest.md"]
    for path in paths:
        path.write_text(text)
    return paths
