"""Runs wrk (the load generator) and reads its result.

A small Lua `done()` hook prints one JSON line with the counts and latency percentiles, so
nothing depends on wrk's human-readable summary.
"""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

WRK = "/usr/bin/wrk"
MARKER = "BENCH_RESULT "
# latency percentiles come in microseconds; io.write keeps it to one line for the parser.
DONE_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,'
    .. '"status":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d}\\n',
    "MARKER", summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max))
end
""".replace("MARKER", MARKER)


@dataclass
class WrkResult:
    requests: int
    seconds: float
    bytes: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.bytes / self.seconds / 1e6 if self.seconds else 0.0


class WrkError(RuntimeError):
    pass


def parse_output(stdout: str) -> WrkResult:
    """The result line of DONE_SCRIPT in wrk's output."""
    for line in stdout.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            break
    else:
        raise WrkError(f"wrk printed no result line:\n{stdout[-2000:]}")
    errors = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        bytes=data["bytes"],
        errors=errors,
        p50_ms=data["p50"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
    )


def wrk_command(
    url: str, concurrency: int, duration: float, headers: dict[str, str], script: Path
) -> list[str]:
    """wrk's argv: one thread per connection up to two (the machine's cores are shared)."""
    argv = [
        WRK,
        f"-t{min(concurrency, 2)}",
        f"-c{concurrency}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
    ]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    return [*argv, url]


def run(
    url: str, concurrency: int, duration: float, headers: dict[str, str], workdir: Path
) -> WrkResult:
    script = workdir / "bench-done.lua"
    if not script.exists():
        script.write_text(DONE_SCRIPT)
    argv = wrk_command(url, concurrency, duration, headers, script)
    completed = subprocess.run(
        argv, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    if completed.returncode != 0:
        raise WrkError(f"wrk exited {completed.returncode}: {completed.stderr.strip()}")
    return parse_output(completed.stdout)


def version() -> str:
    completed = subprocess.run([WRK, "-v"], capture_output=True, text=True, check=False)
    text = (completed.stdout + completed.stderr).strip().splitlines()
    return text[0] if text else "unknown"
