"""wrk's result line becomes numbers; its command line stays on loopback-friendly options."""

from pathlib import Path

import pytest

from bench.wrk import DONE_SCRIPT, MARKER, WrkError, parse_output, wrk_command

WRK_STDOUT = f"""Running 10s test @ http://127.0.0.1:8000/repository/bench-pypi/simple/big-project/
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.01ms    3.20ms  80.11ms   90.00%
  50000 requests in 10.00s, 1.00GB read
  Non-2xx or 3xx responses: 3
{MARKER}{{"requests":50000,"duration_us":10000000,"bytes":1000000000,"connect":0,"read":1,"write":0,"status":3,"timeout":2,"p50":11500,"p95":20250,"p99":41000,"max":80110}}
Requests/sec:   5000.00
"""


def test_it_reads_counts_and_percentiles_from_the_result_line():
    result = parse_output(WRK_STDOUT)
    assert result.requests == 50000
    assert result.rps == pytest.approx(5000)
    assert result.mb_per_s == pytest.approx(100)
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (11.5, 20.25, 41.0)
    assert result.max_ms == pytest.approx(80.11)


def test_it_counts_every_kind_of_error():
    assert parse_output(WRK_STDOUT).errors == 6


def test_it_refuses_output_without_a_result_line():
    with pytest.raises(WrkError):
        parse_output("unable to connect to 127.0.0.1:9 Connection refused\n")


def test_it_prints_the_marker_from_the_lua_hook():
    assert MARKER in DONE_SCRIPT
    assert "latency:percentile(99)" in DONE_SCRIPT


def test_it_builds_the_command_with_headers_and_a_long_timeout():
    argv = wrk_command(
        "http://127.0.0.1:1/x", 64, 8, {"Accept": "text/html"}, Path("/tmp/done.lua")
    )
    assert argv[1:4] == ["-t2", "-c64", "-d8s"]
    assert argv[4:6] == ["--timeout", "30s"]
    assert argv[8:10] == ["-H", "Accept: text/html"]
    assert argv[-1] == "http://127.0.0.1:1/x"
    assert wrk_command("http://127.0.0.1:1/x", 1, 3, {}, Path("/tmp/d.lua"))[1] == "-t1"
