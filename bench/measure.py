"""The measured points: which URL with which headers, a check that it answers what a client
expects (a fast 404 would be a fine number of nothing), then wrk while /proc is sampled.
"""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from bench import wrk
from bench.data import BIG_PROJECT, HUGE_FILE_PROJECT, MID_PROJECT, NPM_PACKAGE, SMALL_FILE_PROJECT
from bench.model import Point, Results
from bench.rss import PeakRss
from bench.servers.base import Running

HTML = {"Accept": "text/html", "Accept-Encoding": "gzip"}
PEP691 = {"Accept": "application/vnd.pypi.simple.v1+json", "Accept-Encoding": "gzip"}
PACKUMENT = {"Accept": "application/json", "Accept-Encoding": "gzip"}
# What npm sends for installs.
ABBREVIATED = {
    "Accept": "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*",
    "Accept-Encoding": "gzip",
}


@dataclass
class Scenario:
    key: str
    url: str
    headers: dict[str, str]
    expect_type: str  # a substring of the Content-Type a client needs
    size: int | None = None  # exact body size for downloads
    huge: bool = False  # measured at the low concurrencies only


def fetch(url: str, headers: dict[str, str]) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def check(scenario: Scenario) -> str | None:
    """Why the URL is not worth measuring, or None when it answers as a client expects."""
    status, content_type, body = fetch(scenario.url, scenario.headers)
    if status != 200:
        return f"answers {status}"
    if scenario.expect_type not in content_type:
        return f"answers {content_type or 'no Content-Type'}, not {scenario.expect_type}"
    if scenario.size is not None and len(body) != scenario.size:
        return f"sent {len(body)} bytes of {scenario.size}"
    return None


def file_url(simple_url: str, project: str, filename: str) -> str:
    """The download URL the server's PEP 503 page gives for a file (fragment dropped)."""
    page_url = f"{simple_url}{project}/"
    _, _, body = fetch(page_url, {"Accept": "text/html"})
    text = body.decode("utf-8", "replace")
    for chunk in text.split('href="')[1:]:
        href = chunk.split('"', 1)[0].split("#", 1)[0]
        if href.endswith("/" + filename):
            return urljoin(page_url, href.replace("&amp;", "&"))
    raise LookupError(f"{filename} is not listed on {page_url}")


def pypi_scenarios(server: Running, sizes: dict[str, tuple[str, int]]) -> list[Scenario]:
    simple = server.pypi.simple_url
    found = [
        Scenario("simple-html-mid", f"{simple}{MID_PROJECT}/", HTML, "html"),
        Scenario("simple-html-big", f"{simple}{BIG_PROJECT}/", HTML, "html"),
        Scenario("simple-json-mid", f"{simple}{MID_PROJECT}/", PEP691, "vnd.pypi.simple.v1+json"),
        Scenario("simple-json-big", f"{simple}{BIG_PROJECT}/", PEP691, "vnd.pypi.simple.v1+json"),
    ]
    for key, project in (("wheel-small", SMALL_FILE_PROJECT), ("wheel-huge", HUGE_FILE_PROJECT)):
        filename, size = sizes[project]
        url = file_url(simple, project, filename)
        found.append(Scenario(key, url, {}, "", size=size, huge=key == "wheel-huge"))
    return found


def group_scenarios(scenarios: list[Scenario], hosted: str, group: str) -> list[Scenario]:
    """The mid-size project's index pages again, through a group of three members."""
    return [
        Scenario(f"{s.key}-group", s.url.replace(f"/{hosted}/", f"/{group}/"), s.headers,
                 s.expect_type)
        for s in scenarios
        if s.key in ("simple-html-mid", "simple-json-mid")
    ]  # fmt: skip


def npm_scenarios(server: Running, tarball_size: int, tarball_url: str = "") -> list[Scenario]:
    registry = server.npm.registry_url
    packument = f"{registry}{NPM_PACKAGE}"
    if not tarball_url:
        _, _, body = fetch(packument, {"Accept": ABBREVIATED["Accept"]})
        versions = json.loads(body)["versions"]
        tarball_url = versions[min(versions)]["dist"]["tarball"]
    return [
        Scenario("packument-full", packument, PACKUMENT, "json"),
        Scenario("packument-abbreviated", packument, ABBREVIATED, "json"),
        Scenario("npm-tarball", tarball_url, {}, "", size=tarball_size),
    ]


def download_scenarios(base_url: str, files: dict[str, tuple[str, int]]) -> list[Scenario]:
    """Downloads of files by path below base_url (nginx serving the artifact folder)."""
    return [
        Scenario(key, f"{base_url}/{path}", {}, "", size=size, huge=key == "wheel-huge")
        for key, (path, size) in files.items()
    ]


def measure(
    server: Running,
    scenarios: list[Scenario],
    results: Results,
    workdir: Path,
    concurrencies: tuple[int, ...],
    huge_concurrencies: tuple[int, ...],
    duration: float,
    say,
) -> None:
    """Every scenario at every concurrency; failures are recorded, never fatal."""
    for scenario in scenarios:
        problem = check(scenario)
        if problem:
            results.failures.append(f"{server.name}: {scenario.key} not measured: {problem}")
            say(f"  {scenario.key}: skipped ({problem})")
            continue
        for concurrency in huge_concurrencies if scenario.huge else concurrencies:
            with PeakRss(server.roots, server.is_worker) as peak:
                try:
                    result = wrk.run(scenario.url, concurrency, duration, scenario.headers, workdir)
                except wrk.WrkError as exc:
                    results.failures.append(f"{server.name}: {scenario.key} c={concurrency}: {exc}")
                    continue
            results.points.append(
                Point(
                    scenario=scenario.key,
                    server=server.name,
                    concurrency=concurrency,
                    requests=result.requests,
                    seconds=result.seconds,
                    rps=result.rps,
                    mb_per_s=result.mb_per_s,
                    p50_ms=result.p50_ms,
                    p95_ms=result.p95_ms,
                    p99_ms=result.p99_ms,
                    errors=result.errors,
                    peak_rss_mb=peak.total_mb,
                    peak_process_rss_mb=peak.process_mb,
                )
            )
            say(
                f"  {scenario.key} c={concurrency}: {result.rps:.0f} req/s, "
                f"p99 {result.p99_ms:.1f} ms, {result.errors} errors, RSS {peak.total_mb:.0f} MB"
            )
