"""The counting front every upstream fixture stands behind: down and up, counts, faults."""

import http.client
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture
def seeded(static_files) -> bytes:
    data = bytes(range(256)) * 1024
    static_files.seed("blob.bin", data)
    return data


def _get(url: str, **headers) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def test_it_goes_down_and_comes_back_on_the_same_port(static_files, seeded):
    url = static_files.url + "/blob.bin"
    with static_files.front.down(), pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)
    assert _get(url)[1] == seeded
    assert static_files.url == url.removesuffix("/blob.bin")


def test_stopping_it_cuts_kept_alive_connections(static_files, seeded):
    connection = http.client.HTTPConnection("127.0.0.1", static_files.front.port, timeout=5)
    connection.request("GET", "/blob.bin")
    assert connection.getresponse().read() == seeded
    static_files.front.stop()
    try:
        with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
            connection.request("GET", "/blob.bin")
            connection.getresponse().read()
    finally:
        connection.close()
        static_files.front.start()


def test_it_counts_requests_per_path_and_method(static_files, seeded):
    for _ in range(3):
        _get(static_files.url + "/blob.bin")
    urllib.request.urlopen(urllib.request.Request(static_files.url + "/blob.bin", method="HEAD"))
    assert static_files.front.requests("/blob.bin") == 3
    assert static_files.front.requests("/blob.bin", method="HEAD") == 1
    assert static_files.front.requests("/*.bin") == 3
    assert static_files.front.requests("/other") == 0


def test_it_answers_an_injected_status_a_given_number_of_times(static_files, seeded):
    static_files.front.fault(path="/blob.bin", status=429, headers=(("Retry-After", "7"),), times=1)
    status, _, headers = _get(static_files.url + "/blob.bin")
    assert (status, headers["Retry-After"]) == (429, "7")
    assert _get(static_files.url + "/blob.bin")[0] == 200


def test_it_corrupts_cuts_and_delays_bodies(static_files, seeded):
    url = static_files.url + "/blob.bin"
    static_files.front.fault(path="/blob.bin", corrupt=True, times=1)
    status, body, _ = _get(url)
    assert status == 200 and len(body) == len(seeded) and body != seeded

    static_files.front.fault(path="/blob.bin", cut_after=1000, times=1)
    with pytest.raises(http.client.IncompleteRead):
        _get(url)

    static_files.front.fault(path="/blob.bin", delay=0.5, times=1)
    started = time.monotonic()
    assert _get(url)[1] == seeded
    assert time.monotonic() - started >= 0.5


def test_it_can_drop_range_headers_and_records_the_ranges_asked(pypiserver, upstream_packages):
    wheel = upstream_packages.python_file("six-1.16.0-py2.py3-none-any.whl")
    url = pypiserver.url + "/packages/" + wheel.name
    assert _get(url, Range="bytes=0-9")[:2] == (206, wheel.read_bytes()[:10])
    pypiserver.front.fault(path="/packages/*", ignore_range=True)
    assert _get(url, Range="bytes=0-9")[:2] == (200, wheel.read_bytes())
    assert pypiserver.front.ranges("/packages/*") == ["bytes=0-9", "bytes=0-9"]
