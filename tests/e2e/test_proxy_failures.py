"""A PyPI proxy when its upstream misbehaves, against pypiserver behind a faulting front:
concurrent cold requests, corrupted files, 5xx, 404s, a stopped upstream, stale serving,
cooldown and credentials."""

import http.client
import threading
import time
import urllib.error
import urllib.request

import pytest

from repository.models import Asset, Repository
from repository.services.repositories import create_repository
from tests.e2e.conftest import LIVE_THREADS
from tests.pypi.builders import make_wheel
from tests.pypi.clients import Clients

pytestmark = pytest.mark.e2e

SIX = "six-1.17.0-py2.py3-none-any.whl"


def proxy_of(name: str, upstream: str, **options) -> Repository:
    return create_repository(
        name, "pypi", kind="proxy", settings={"proxy": {"upstream": upstream, **options}}
    )


def get(url: str, **headers) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def file_url(live, repository: str, filename: str = SIX) -> str:
    asset = Asset.objects.get(repository__name=repository, filename=filename)
    return live.repo_url(repository) + asset.path


@pytest.fixture
def six_proxy(live, pypiserver):
    """A proxy of pypiserver that has read six's project page (its files not cached)."""
    proxy_of("py-proxy", pypiserver.index_url)
    status, _, _ = get(live.repo_url("py-proxy") + "simple/six/")
    assert status == 200
    return pypiserver


def test_twenty_concurrent_downloads_of_an_uncached_file_fetch_it_once(live, six_proxy):
    url = file_url(live, "py-proxy")
    six_proxy.front.fault(path=f"*/{SIX}", delay=0.5)  # all twenty arrive mid-transfer
    bodies: list[bytes] = []

    def download() -> None:
        status, _, body = get(url)
        assert status == 200
        bodies.append(body)

    threads = [threading.Thread(target=download) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(bodies) == 20 and len(set(bodies)) == 1
    assert six_proxy.front.requests(f"*/{SIX}") == 1
    assert Asset.objects.get(repository__name="py-proxy", filename=SIX).cached


def test_a_corrupted_upstream_file_is_refused_and_not_cached(live, six_proxy, tmp_path):
    six_proxy.front.fault(path=f"*/{SIX}", corrupt=True)
    try:  # the client never gets the whole, wrong file: a broken-off body, or an error
        status, _, _ = get(file_url(live, "py-proxy"))  # before any byte was sent
        assert status >= 500
    except http.client.IncompleteRead:
        pass
    assert not Asset.objects.get(repository__name="py-proxy", filename=SIX).cached
    log = (live.data_dir / "server.log").read_text()
    assert f"upstream file {six_proxy.url}/packages/{SIX} refused: sha256" in log
    six_proxy.front.clear_faults()
    clients = Clients(tmp_path)
    clients.pip_install(live.repo_url("py-proxy") + "simple/", "six==1.17.0", tmp_path / "good")
    assert (tmp_path / "good" / "six.py").is_file()
    assert Asset.objects.get(repository__name="py-proxy", filename=SIX).cached


def test_an_upstream_500_is_a_502_and_never_cached(live, pypiserver):
    proxy_of("py-proxy", pypiserver.index_url)
    pypiserver.front.fault(path="/simple/idna/", status=500, times=1)
    status, _, body = get(live.repo_url("py-proxy") + "simple/idna/")
    assert status == 502
    assert b"answered 500" in body
    status, _, body = get(live.repo_url("py-proxy") + "simple/idna/")
    assert status == 200 and b"idna-3.10-py3-none-any.whl" in body


def test_a_cold_project_with_the_upstream_stopped_is_a_502_not_a_404(live, pypiserver):
    proxy_of("py-proxy", pypiserver.index_url)
    pypiserver.front.stop()
    status, _, body = get(live.repo_url("py-proxy") + "simple/attrs/")
    assert status == 502
    assert b"cannot connect" in body
    pypiserver.front.start()
    assert get(live.repo_url("py-proxy") + "simple/attrs/")[0] == 200


def test_an_upstream_404_is_remembered_for_the_negative_ttl_only(live, pypiserver):
    proxy_of("py-proxy", pypiserver.index_url, negative_ttl=2)
    url = live.repo_url("py-proxy") + "simple/not-there-yet/"
    assert get(url)[0] == 404
    assert get(url)[0] == 404
    assert pypiserver.front.requests("/simple/not-there-yet/") == 1
    time.sleep(2.5)
    assert get(url)[0] == 404
    assert pypiserver.front.requests("/simple/not-there-yet/") == 2


def test_a_stale_page_is_served_at_once_marked_stale_while_the_upstream_is_down(live, pypiserver):
    proxy_of("py-proxy", pypiserver.index_url, metadata_ttl=1)
    url = live.repo_url("py-proxy") + "simple/packaging/"
    status, headers, _ = get(url)
    assert status == 200 and "X-Larder-Cache" not in headers
    pypiserver.front.stop()
    time.sleep(1.5)
    status, headers, body = get(url)
    assert status == 200 and b"packaging-24.2-py3-none-any.whl" in body
    assert headers["X-Larder-Cache"] == "stale"


def test_a_stale_page_is_refreshed_in_the_background_once(live, pypiserver, tmp_path):
    project = make_wheel("Fresh-Lib", "1.0")
    clients = Clients(tmp_path)
    pypiserver.seed(clients.write(project))
    proxy_of("py-proxy", pypiserver.index_url, metadata_ttl=1)
    url = live.repo_url("py-proxy") + "simple/fresh-lib/"
    assert b"fresh_lib-1.0" in get(url)[2]
    pypiserver.seed(clients.write(make_wheel("Fresh-Lib", "2.0")))
    time.sleep(1.5)
    for _ in range(5):
        get(url)  # stale: answered from the rows, one refresh queued
    deadline = time.monotonic() + 20
    while b"fresh_lib-2.0" not in get(url)[2]:
        assert time.monotonic() < deadline, "the stale page was never refreshed"
        time.sleep(0.2)
    assert pypiserver.front.requests("/simple/fresh-lib/") <= 3


def test_cooldown_holds_back_a_version_that_appears_upstream(live, pypiserver, tmp_path):
    clients = Clients(tmp_path)
    pypiserver.seed(clients.write(make_wheel("Cool-Lib", "1.0")))
    proxy_of("py-proxy", pypiserver.index_url, metadata_ttl=1, cooldown_days=3)
    index = live.repo_url("py-proxy") + "simple/"
    assert b"cool_lib-1.0" in get(index + "cool-lib/")[2]
    pypiserver.seed(clients.write(make_wheel("Cool-Lib", "2.0")))
    package = Repository.objects.get(name="py-proxy").packages.get(name="cool-lib")
    deadline = time.monotonic() + 20  # pypiserver lists a new file within a moment
    while package.metadata["proxy"]["held_back"] != ["2.0"]:
        assert time.monotonic() < deadline, "no refresh saw 2.0 on the upstream"
        time.sleep(1.5)
        page = get(index + "cool-lib/")[2]  # stale: refreshed in the background
        assert b"cool_lib-1.0" in page and b"cool_lib-2.0" not in page
        live.wait_until_idle()
        package.refresh_from_db()
    page = get(index + "cool-lib/")[2]
    assert b"cool_lib-1.0" in page and b"cool_lib-2.0" not in page
    clients.pip_install(index, "cool-lib", tmp_path / "installed")
    assert 'VERSION = "1.0"' in (tmp_path / "installed" / "cool_lib" / "__init__.py").read_text()


def test_upstream_credentials_go_to_the_upstream_and_never_into_the_log(live, pypiserver):
    secret = "s3cret-upstream-password"
    proxy_of("py-proxy", pypiserver.index_url, auth={"username": "mirror", "password": secret})
    pypiserver.front.fault(path="/simple/six/", status=503, times=1)
    assert get(live.repo_url("py-proxy") + "simple/six/")[0] == 502
    assert get(live.repo_url("py-proxy") + "simple/six/")[0] == 200
    sent = pypiserver.front.headers("/simple/six/")
    assert all(headers["Authorization"].startswith("Basic ") for headers in sent)
    log = (live.data_dir / "server.log").read_text()
    assert "upstream GET http://127.0.0.1" in log
    assert secret not in log and "bWlycm9y" not in log


def test_the_breaker_stops_asking_a_failing_upstream_for_a_while(live, pypiserver):
    proxy_of("py-proxy", pypiserver.index_url, breaker_threshold=2, breaker_open_seconds=30)
    pypiserver.front.fault(path="/simple/*", status=500)
    base = live.repo_url("py-proxy") + "simple/"
    assert get(base + "one/")[0] == 502
    assert get(base + "two/")[0] == 502
    status, headers, body = get(base + "three/")
    assert status == 503 and int(headers["Retry-After"]) > 0
    assert b"not asked for a while" in body
    assert pypiserver.front.requests("/simple/*") == 2


def test_an_upstream_429_is_honoured_for_its_retry_after(live, pypiserver):
    proxy_of("py-proxy", pypiserver.index_url)
    pypiserver.front.fault(path="/simple/*", status=429, headers=(("Retry-After", "30"),))
    assert get(live.repo_url("py-proxy") + "simple/one/")[0] == 503
    status, headers, _ = get(live.repo_url("py-proxy") + "simple/two/")
    assert status == 503 and 0 < int(headers["Retry-After"]) <= 30
    assert pypiserver.front.requests("/simple/*") == 1


def test_a_version_the_upstream_deletes_stays_installable(live, pypiserver, tmp_path):
    clients = Clients(tmp_path)
    wheel = clients.write(make_wheel("Kept-Lib", "1.0"))
    pypiserver.seed(wheel)
    pypiserver.seed(clients.write(make_wheel("Kept-Lib", "1.1")))
    proxy_of("py-proxy", pypiserver.index_url, metadata_ttl=1)
    index = live.repo_url("py-proxy") + "simple/"
    clients.pip_install(index, "kept-lib==1.0", tmp_path / "first")
    (pypiserver.packages / wheel.name).unlink()
    time.sleep(1.5)
    get(index + "kept-lib/")  # stale: the refresh sees 1.0 gone upstream
    live.wait_until_idle()
    page = get(index + "kept-lib/")[2]
    assert b"kept_lib-1.0-" in page and b"kept_lib-1.1-" in page
    clients.pip_install(index, "kept-lib==1.0", tmp_path / "again")
    assert (tmp_path / "again" / "kept_lib" / "__init__.py").is_file()


def test_a_proxy_works_without_redis_as_make_run_starts_it(start_live_server, pypiserver, tmp_path):
    embedded = start_live_server({"REDIS_URL": ""})
    proxy_of("py-proxy", pypiserver.index_url, metadata_ttl=1)
    index = embedded.repo_url("py-proxy") + "simple/"
    clients = Clients(tmp_path)
    clients.pip_install(index, "six==1.17.0", tmp_path / "cold")
    assert (tmp_path / "cold" / "six.py").is_file()
    assert (embedded.data_dir / "proxy").is_dir()  # single flight and marks in the data dir
    pypiserver.front.stop()
    time.sleep(1.5)
    status, headers, _ = get(index + "six/")
    assert status == 200 and headers["X-Larder-Cache"] == "stale"
    clients.pip_install(index, "six==1.17.0", tmp_path / "warm")


def test_concurrent_cold_requests_fetch_once_even_with_ttls_of_zero(live, pypiserver):
    proxy_of("py-proxy", pypiserver.index_url, metadata_ttl=0, negative_ttl=0)
    pypiserver.front.fault(path="/simple/attrs/", delay=0.5, times=1)
    statuses: list[int] = []

    def ask() -> None:
        statuses.append(get(live.repo_url("py-proxy") + "simple/attrs/")[0])

    # No more than one web process's threads: a request queued behind the others would
    # begin after the fetch ended and, with a TTL of 0, rightly find the copy stale.
    threads = [threading.Thread(target=ask) for _ in range(LIVE_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * LIVE_THREADS
    assert pypiserver.front.requests("/simple/attrs/") == 1
