"""The issue's targets, judged against a run: each row passes, misses, or was not measured."""

from dataclasses import dataclass

from bench.model import Results

INDEX_SCENARIOS = ["simple-html-mid", "simple-html-big", "simple-json-mid", "simple-json-big"]
PACKUMENT_SCENARIOS = ["packument-full", "packument-abbreviated"]
DOWNLOAD_SCENARIOS = ["wheel-small", "wheel-huge", "npm-tarball"]
EMBEDDED_SCENARIOS = INDEX_SCENARIOS + PACKUMENT_SCENARIOS
INDEX_RATIO, INDEX_P99_MS = 10.0, 50.0
PACKUMENT_RATIO, PACKUMENT_P99_MS = 20.0, 100.0
# The embedded default (SQLite, no Redis) against the same peers, p99 < 50 ms throughout.
EMBEDDED_P99_MS = 50.0
DOWNLOAD_RATIO = 0.8
# "As fast as the first": within this factor, since one publish is a noisy measurement.
PUBLISH_TOLERANCE = 1.2
WORKER_RSS_MB = 250.0
# A group of three members answers an index page within this factor of a hosted one's time.
GROUP_FACTOR = 1.5


@dataclass
class Verdict:
    target: str
    measured: str
    passed: bool | None  # None: not measured


def _throughput_verdict(
    results: Results,
    scenario: str,
    peer: str,
    ratio: float,
    p99_ms: float | None,
    larder: str = "larder",
) -> Verdict:
    ours = results.top_concurrency(scenario, larder)
    theirs = results.top_concurrency(scenario, peer)
    label = results.labels.get(scenario, scenario)
    if larder != "larder":
        label += f" ({larder})"
    wanted = f">= {ratio:g}x {peer}" + (f", p99 < {p99_ms:g} ms" if p99_ms else "")
    target = f"{label}: {wanted}"
    if ours is None or theirs is None or not theirs.rps:
        return Verdict(target, "not measured", None)
    achieved = ours.rps / theirs.rps
    passed = achieved >= ratio and (p99_ms is None or ours.p99_ms < p99_ms)
    measured = (
        f"{achieved:.2f}x at c={ours.concurrency} ({ours.rps:,.0f} vs {theirs.rps:,.0f} req/s)"
    )
    if p99_ms:
        measured += f", p99 {ours.p99_ms:.1f} ms"
    return Verdict(target, measured, passed)


def _publish_verdict(results: Results, action: str) -> Verdict:
    first = results.timing(action, "larder", "first")
    later = results.timing(action, "larder", "onto large")
    target = f"`{action}`: onto the large package as fast as the first (<= {PUBLISH_TOLERANCE}x)"
    if first is None or later is None:
        return Verdict(target, "not measured", None)
    factor = later.median / first.median
    # The runs' spread beside the medians: one client run varies by more than the tolerance.
    measured = (
        f"{later.median:.2f} s vs {first.median:.2f} s ({factor:.2f}x; runs "
        f"{min(later.seconds):.2f}-{max(later.seconds):.2f} vs "
        f"{min(first.seconds):.2f}-{max(first.seconds):.2f} s)"
    )
    return Verdict(target, measured, factor <= PUBLISH_TOLERANCE)


def _worker_rss_verdict(results: Results) -> Verdict:
    target = f"each Larder web worker < {WORKER_RSS_MB:g} MB RSS serving the packument"
    points = [results.top_concurrency(s, "larder") for s in PACKUMENT_SCENARIOS]
    points = [p for p in points if p is not None]
    if not points:
        return Verdict(target, "not measured", None)
    largest = max(p.peak_process_rss_mb for p in points)
    measured = f"largest worker {largest:.0f} MB at c={points[0].concurrency}"
    return Verdict(target, measured, largest < WORKER_RSS_MB)


def _group_verdict(results: Results, scenario: str) -> Verdict:
    label = results.labels.get(scenario, scenario)
    target = f"{label} through a group of three: within {GROUP_FACTOR:g}x a hosted one's time"
    hosted = results.top_concurrency(scenario, "larder")
    group = results.top_concurrency(f"{scenario}-group", "larder")
    if hosted is None or group is None or not group.rps:
        return Verdict(target, "not measured", None)
    factor = hosted.rps / group.rps  # at one concurrency, time per request goes as 1/rps
    measured = (
        f"{factor:.2f}x at c={group.concurrency} ({group.rps:,.0f} vs {hosted.rps:,.0f} req/s, "
        f"p99 {group.p99_ms:.1f} vs {hosted.p99_ms:.1f} ms)"
    )
    return Verdict(target, measured, factor <= GROUP_FACTOR)


def evaluate(results: Results) -> list[Verdict]:
    # Each throughput target twice: Larder alone, and behind nginx as docs/operations.md
    # deploys it (X-Accel-Redirect; public files cached, and public index documents for the
    # second LARDER_SHARED_INDEX_SECONDS allows). The issue accepts nginx for downloads.
    verdicts = [
        _throughput_verdict(results, s, "devpi", INDEX_RATIO, INDEX_P99_MS, larder)
        for s in INDEX_SCENARIOS
        for larder in ("larder", "larder+nginx")
    ]
    verdicts += [
        _throughput_verdict(results, s, "verdaccio", PACKUMENT_RATIO, PACKUMENT_P99_MS, larder)
        for s in PACKUMENT_SCENARIOS
        for larder in ("larder", "larder+nginx")
    ]
    verdicts += [
        _throughput_verdict(results, s, "nginx", DOWNLOAD_RATIO, None, larder)
        for s in DOWNLOAD_SCENARIOS
        for larder in ("larder", "larder+nginx")
    ]
    verdicts += [
        _throughput_verdict(results, s, "devpi", INDEX_RATIO, EMBEDDED_P99_MS, "larder-embedded")
        for s in INDEX_SCENARIOS
    ]
    verdicts += [
        _throughput_verdict(
            results, s, "verdaccio", PACKUMENT_RATIO, EMBEDDED_P99_MS, "larder-embedded"
        )
        for s in PACKUMENT_SCENARIOS
    ]
    verdicts += [_group_verdict(results, s) for s in ("simple-html-mid", "simple-json-mid")]
    verdicts += [_publish_verdict(results, action) for action in ("twine upload", "npm publish")]
    verdicts.append(_worker_rss_verdict(results))
    return verdicts
