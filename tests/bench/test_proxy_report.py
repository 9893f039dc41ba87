"""The proxy bench's report: each target's ratio and verdict, and the bytes a relay counted."""

import http.server
import threading
import urllib.request

from bench.model import Timing
from bench.proxy_report import (
    DEVPI,
    DIRECT,
    LARDER,
    NPM_INSTALL,
    UV_COMPILE,
    UV_INSTALL,
    VERDACCIO,
    ProxyResults,
    Transfer,
    evaluate,
    render,
)
from bench.relay import relayed


def results(*timings: Timing, transfers=()) -> ProxyResults:
    found = ProxyResults(
        started="2026-01-01 00:00 UTC", host="bench-host", scale="full", runs=3,
        python=["six"], npm={"ms": "2.1.3"}, machine={"cores": "2"}, versions={"Larder": "0.1"},
    )  # fmt: skip
    found.timings += timings
    found.transfers += transfers
    return found


def verdict(found: ProxyResults, starts_with: str):
    return next(v for v in evaluate(found) if v.target.startswith(starts_with))


def test_warm_larder_passes_at_twice_the_peers_speed_and_misses_below():
    fast = results(Timing(UV_INSTALL, LARDER, "warm", [1.0, 1.1, 0.9]),
                   Timing(UV_INSTALL, DEVPI, "warm", [2.0, 2.2, 1.9]))  # fmt: skip
    assert verdict(fast, f"warm `{UV_INSTALL}`").passed is True
    assert "2.00x (1.00 s vs 2.00 s" in verdict(fast, f"warm `{UV_INSTALL}`").measured
    slow = results(Timing(NPM_INSTALL, LARDER, "warm", [3.0]),
                   Timing(NPM_INSTALL, VERDACCIO, "warm", [4.0]))  # fmt: skip
    assert verdict(slow, f"warm `{NPM_INSTALL}`").passed is False


def test_cold_larder_passes_when_no_slower_and_an_absent_peer_is_not_measured():
    found = results(Timing(UV_INSTALL, LARDER, "cold", [2.0]),
                    Timing(UV_INSTALL, DEVPI, "cold", [2.0]))  # fmt: skip
    assert verdict(found, f"cold `{UV_INSTALL}`").passed is True
    assert verdict(found, f"cold `{NPM_INSTALL}`").passed is None
    assert "| cold `npm install` through Larder no slower than verdaccio-uplink's cold " \
           "| not measured | not measured |" in render(found)  # fmt: skip


def test_the_resolve_passes_when_larder_sent_fewer_bytes_than_the_upstream():
    found = results(transfers=[Transfer(UV_COMPILE, LARDER, 300_000),
                               Transfer(UV_COMPILE, DIRECT, 500_000)])  # fmt: skip
    judged = verdict(found, f"a cold `{UV_COMPILE}`")
    assert judged.passed is True
    assert judged.measured == "0.60x (0.30 MB vs 0.50 MB)"
    assert "| uv pip compile | pypiserver (direct) | 500,000 |" in render(found)


def test_the_relay_counts_what_the_server_sent():
    body = b"x" * 100_000

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/file"
    try:
        with relayed(url) as relay:
            with urllib.request.urlopen(relay.url(url), timeout=10) as response:
                assert response.read() == body
            with urllib.request.urlopen(relay.url(url), timeout=10) as response:
                response.read()
        assert 2 * len(body) < relay.sent < 2 * len(body) + 1000  # bodies and headers
    finally:
        server.shutdown()
