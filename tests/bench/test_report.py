"""The report: ratios, pass/miss per target, and every measured point in the tables."""

from bench.model import Load, Point, Results, Timing
from bench.report import render, scenario_labels
from bench.targets import evaluate


def point(scenario: str, server: str, rps: float, p99: float = 5.0, c: int = 64, worker=90.0):
    return Point(scenario, server, c, int(rps * 8), 8.0, rps, rps / 10, 1.0, 2.0, p99,
                 peak_rss_mb=400.0, peak_process_rss_mb=worker)  # fmt: skip


def results_with(*points: Point, timings=()) -> Results:
    results = Results(
        started="2026-01-01 00:00 UTC",
        host="bench-host",
        scale="full",
        duration=8,
        labels=scenario_labels(300, 2000, 2000, 5, 100),
        machine={"cores": "2"},
        versions={"Larder": "0.1.0", "devpi-server": "6.20.3"},
    )
    results.points += points
    results.timings += timings
    results.loads.append(Load("larder", "PyPI files", 3294, 60.0, 4))
    return results


def verdict(results: Results, starts_with: str):
    return next(v for v in evaluate(results) if v.target.startswith(starts_with))


def test_it_passes_an_index_page_ten_times_faster_than_devpi_with_a_low_p99():
    results = results_with(
        point("simple-html-big", "larder", 1000, p99=20), point("simple-html-big", "devpi", 100)
    )
    found = verdict(results, "PEP 503 HTML page, 2,000 files")
    assert found.passed is True
    assert "10.00x" in found.measured


def test_it_misses_when_the_p99_is_too_high_even_if_fast_enough():
    results = results_with(
        point("simple-json-mid", "larder", 5000, p99=80), point("simple-json-mid", "devpi", 100)
    )
    assert verdict(results, "PEP 691 JSON page, 300 files").passed is False


def test_it_judges_at_the_highest_concurrency_measured():
    results = results_with(
        point("packument-full", "larder", 5000, c=1),
        point("packument-full", "verdaccio", 100, c=1),
        point("packument-full", "larder", 500, c=64),
        point("packument-full", "verdaccio", 100, c=64),
    )
    assert verdict(results, "npm full packument").passed is False


def test_it_says_not_measured_when_a_peer_is_missing():
    results = results_with(point("wheel-small", "larder", 100))
    assert verdict(results, "5 MB wheel download").passed is None


def test_it_compares_downloads_with_nginx():
    results = results_with(point("wheel-small", "larder", 90), point("wheel-small", "nginx", 100))
    assert verdict(results, "5 MB wheel download").passed is True


def test_it_judges_larder_behind_nginx_on_its_own_row():
    results = results_with(
        point("npm-tarball", "larder", 2000),
        point("npm-tarball", "larder+nginx", 60000),
        point("npm-tarball", "nginx", 70000),
    )
    assert verdict(results, "npm tarball download: ").passed is False
    assert verdict(results, "npm tarball download (larder+nginx)").passed is True


def test_it_compares_publishing_onto_the_large_package_with_the_first():
    timings = (
        Timing("npm publish", "larder", "first", [1.0, 1.1, 0.9]),
        Timing("npm publish", "larder", "onto large", [2.0, 2.2, 1.9]),
        Timing("twine upload", "larder", "first", [0.5]),
        Timing("twine upload", "larder", "onto large", [0.55]),
    )
    results = results_with(timings=timings)
    assert verdict(results, "`npm publish`").passed is False
    assert verdict(results, "`twine upload`").passed is True
    assert "runs 1.90-2.20 vs 0.90-1.10 s" in verdict(results, "`npm publish`").measured


def test_it_checks_the_largest_web_worker_while_serving_packuments():
    results = results_with(point("packument-abbreviated", "larder", 900, worker=300.0))
    assert verdict(results, "each Larder web worker").passed is False


def test_it_renders_targets_points_ratios_and_versions():
    results = results_with(
        point("simple-html-big", "larder", 1000, p99=20),
        point("simple-html-big", "devpi", 100),
        point("wheel-small", "nginx", 100),
        timings=(Timing("uv pip install (30 packages)", "larder", "cold", [1.0, 2.0, 3.0]),),
    )
    results.failures.append("pypiserver: simple-json-big not measured: answers text/html")
    text = render(results)
    assert text.startswith("# Larder benchmark, 2026-01-01 00:00 UTC on bench-host")
    assert "| PEP 503 HTML page, 2,000 files: >= 10x devpi, p99 < 50 ms |" in text
    assert "| 64 | devpi | 100 |" in text
    assert "10.00x |" in text
    assert "| 6.20.3 |" in text
    assert "| uv pip install (30 packages) | larder | cold | 2.00 |" in text
    assert "- pypiserver: simple-json-big not measured" in text
    assert "| 5 MB wheel download: >= 0.8x nginx | not measured | not measured |" in text


def test_it_judges_index_pages_behind_nginx_on_their_own_row():
    results = results_with(
        point("simple-html-big", "larder", 2000, p99=120),
        point("simple-html-big", "larder+nginx", 9000, p99=8),
        point("simple-html-big", "devpi", 100),
    )
    assert verdict(results, "PEP 503 HTML page, 2,000 files: ").passed is False
    assert verdict(results, "PEP 503 HTML page, 2,000 files (larder+nginx)").passed is True
