"""Generic proxy repositories with the real curl, against a plain static file server."""

import base64
import json
import os
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from repository.models import Asset
from repository.services.repositories import create_repository, update_repository
from tests.generic.fixtures import curl_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.e2e

DATA = bytes(range(256)) * 12_000  # about 3 MB: many chunks on the wire


def proxy_of(name: str, static_files, **options):
    return create_repository(
        name, "generic", kind="proxy", settings={"proxy": {"upstream": static_files.url, **options}}
    )


def seeded(static_files, path: str, data: bytes = DATA) -> str:
    """Put `data` on the upstream at `path` (unique per test: the server lives all session)."""
    static_files.seed(path, data)
    return "/" + path


def test_curl_gets_and_heads_a_cold_path_then_ranges_come_from_the_cache_without_upstream(
    live, static_files, curl
):
    proxy_of("gen-proxy", static_files)
    path = seeded(static_files, "gp/cold/report.json")
    url = live.repo_url("gen-proxy") + path.lstrip("/")
    upstream_type = curl("-I", static_files.url + path).headers["content-type"]

    head = curl("-I", url)
    assert head.status == 200
    assert head.headers["content-length"] == str(len(DATA))
    assert head.headers["content-type"] == upstream_type
    got = curl(url)
    assert got.status == 200
    assert got.body == DATA
    assert got.headers["content-type"] == upstream_type
    assert static_files.front.requests(path) == 1

    static_files.front.stop()
    ranged = curl("-r", "1000-1999", url)
    assert ranged.status == 206
    assert ranged.body == DATA[1000:2000]
    assert ranged.headers["content-range"] == f"bytes 1000-1999/{len(DATA)}"
    assert ranged.headers["content-type"] == upstream_type
    head = curl("-I", url)
    assert head.status == 200
    assert head.headers["content-length"] == str(len(DATA))
    assert head.headers["etag"]
    assert curl(url).body == DATA


def test_twenty_concurrent_gets_of_an_uncached_file_make_one_upstream_fetch(live, static_files):
    proxy_of("gen-proxy", static_files)
    path = seeded(static_files, "gp/flight/big.bin")
    url = live.repo_url("gen-proxy") + path.lstrip("/")

    def download(_) -> bytes:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read()

    with ThreadPoolExecutor(max_workers=20) as pool:
        bodies = list(pool.map(download, range(20)))
    assert all(body == DATA for body in bodies)
    assert static_files.front.requests(path) == 1
    assert static_files.front.requests(path, method="HEAD") == 1


def test_a_folder_lists_the_files_known_so_far_and_whether_they_are_cached(
    live, static_files, curl
):
    proxy_of("gen-proxy", static_files)
    fetched = seeded(static_files, "gp/listed/fetched.bin")
    seeded(static_files, "gp/listed/headed.bin", b"head only")
    seeded(static_files, "gp/listed/unasked.bin")
    base = live.repo_url("gen-proxy")
    assert curl(base + fetched.lstrip("/")).status == 200
    assert curl("-I", base + "gp/listed/headed.bin").status == 200

    listing = curl("-H", "Accept: application/json", base + "gp/listed/").json()
    files = {entry["name"]: entry for entry in listing["files"]}
    assert set(files) == {"fetched.bin", "headed.bin"}
    assert files["fetched.bin"]["cached"] and files["fetched.bin"]["size"] == len(DATA)
    assert not files["headed.bin"]["cached"] and files["headed.bin"]["size"] == 9
    assert curl(base + "gp/listed/").status == 200
    folder = curl("-H", "Accept: application/json", base + "gp/listed")  # upstream: a redirect
    assert folder.status == 200 and folder.json()["files"] == listing["files"]
    assert not Asset.objects.filter(repository__name="gen-proxy", path="gp/listed").exists()


def test_an_upstream_500_gives_502_and_is_never_cached(live, static_files, curl):
    proxy_of("gen-proxy", static_files)
    path = seeded(static_files, "gp/fault/tool.bin")
    url = live.repo_url("gen-proxy") + path.lstrip("/")
    static_files.front.fault(path=path, status=500)

    failed = curl(url)
    assert failed.status == 502
    assert "the upstream answered 500" in failed.text

    static_files.front.clear_faults()
    got = curl(url)
    assert got.status == 200
    assert got.body == DATA


def test_an_upstream_404_is_remembered_for_the_negative_ttl_only(live, static_files, curl):
    proxy_of("gen-proxy", static_files, negative_ttl=2)
    path = "/gp/missing/later.bin"
    url = live.repo_url("gen-proxy") + path.lstrip("/")

    assert curl(url).status == 404
    seeded(static_files, path.lstrip("/"))
    assert curl(url).status == 404
    assert static_files.front.requests(path, method="HEAD") == 1

    time.sleep(2.2)
    got = curl(url)
    assert got.status == 200
    assert got.body == DATA


def test_a_transfer_broken_off_caches_nothing(live, static_files, curl):
    proxy_of("gen-proxy", static_files)
    path = seeded(static_files, "gp/cut/tool.bin")
    url = live.repo_url("gen-proxy") + path.lstrip("/")
    static_files.front.fault(path=path, cut_after=200_000)

    broken = curl(url)
    assert broken.returncode != 0
    assert len(broken.body) < len(DATA)
    assert not Asset.objects.get(repository__name="gen-proxy", path=path[1:]).cached

    static_files.front.clear_faults()
    assert curl(url).body == DATA
    assert Asset.objects.get(repository__name="gen-proxy", path=path[1:]).cached


def test_a_file_larger_than_max_file_bytes_is_refused(live, static_files, curl):
    proxy_of("gen-proxy", static_files, max_file_bytes=100_000)
    path = seeded(static_files, "gp/large/tool.bin")
    url = live.repo_url("gen-proxy") + path.lstrip("/")

    refused = curl(url)
    assert refused.status == 502
    assert "above 100000" in refused.text
    assert static_files.front.requests(path) == 0
    assert not Asset.objects.filter(repository__name="gen-proxy", blob__isnull=False).exists()


def test_offline_answers_404_saying_so_and_serves_what_is_cached(live, static_files, curl):
    proxy = proxy_of("gen-proxy", static_files)
    cached = seeded(static_files, "gp/offline/cached.bin")
    uncached = seeded(static_files, "gp/offline/uncached.bin")
    base = live.repo_url("gen-proxy")
    assert curl(base + cached.lstrip("/")).status == 200
    update_repository(proxy, settings={"proxy": {**proxy.settings["proxy"], "offline": True}})

    refused = curl(base + uncached.lstrip("/"))
    assert refused.status == 404
    assert "gen-proxy is offline" in refused.text
    assert static_files.front.requests(uncached, method="HEAD") == 0
    assert curl(base + cached.lstrip("/")).body == DATA


def test_uploads_to_a_proxy_are_refused_with_405(
    live, static_files, curl, admin, make_token, tmp_path
):
    proxy_of("gen-proxy", static_files)
    source = tmp_path / "upload.bin"
    source.write_bytes(b"not for a proxy")

    refused = curl(
        "-u", f"__token__:{make_token(admin)}", "--upload-file", str(source),
        live.repo_url("gen-proxy") + "gp/upload.bin",
    )  # fmt: skip
    assert refused.status == 405
    assert refused.text == (
        "405 Repository gen-proxy is a proxy repository and takes no uploads; "
        "upload to a hosted one\n"
    )
    assert not Asset.objects.filter(repository__name="gen-proxy").exists()


def test_upstream_credentials_are_sent_upstream_and_never_logged_or_shown(
    live, static_files, curl, admin, make_token
):
    password = "gp-upstream-password-7431"
    proxy_of("gen-proxy", static_files, auth={"username": "gp-user", "password": password})
    path = seeded(static_files, "gp/auth/tool.bin")
    assert curl(live.repo_url("gen-proxy") + path.lstrip("/")).body == DATA

    basic = "Basic " + base64.b64encode(f"gp-user:{password}".encode()).decode()
    sent = static_files.front.headers(path)
    assert len(sent) == 2 and all(headers["Authorization"] == basic for headers in sent)
    log = (live.data_dir / "server.log").read_text(errors="replace")
    assert password not in log and basic.split()[1] not in log

    shown = curl(
        "-u", f"__token__:{make_token(admin)}", f"{live.url}/api/v1/repositories/gen-proxy/"
    )
    assert shown.status == 200
    assert password not in shown.text
    assert json.loads(shown.body)["settings"]["proxy"]["auth"] == {"type": "basic"}


def test_files_are_immutable_unless_a_content_ttl_has_them_revalidated(live, static_files, curl):
    proxy_of("gen-fixed", static_files)
    proxy_of("gen-ttl", static_files, content_ttl=2)
    path = seeded(static_files, "gp/ttl/latest.txt", b"version 1\n")
    fixed = live.repo_url("gen-fixed") + path.lstrip("/")
    revalidated = live.repo_url("gen-ttl") + path.lstrip("/")
    assert curl(fixed).body == curl(revalidated).body == b"version 1\n"

    changed = static_files.root / path.lstrip("/")
    changed.write_bytes(b"version 2, longer\n")
    later = time.time() + 60  # a Last-Modified past the first one's (whole seconds)
    os.utime(changed, (later, later))
    assert curl(revalidated).body == b"version 1\n"  # within its TTL
    time.sleep(2.2)
    assert curl(revalidated).body == b"version 2, longer\n"
    assert curl(fixed).body == b"version 1\n"
    conditional = static_files.front.headers(path)[-1]
    assert "If-Modified-Since" in conditional

    time.sleep(2.2)
    assert curl(revalidated).body == b"version 2, longer\n"  # unchanged: a 304 upstream
    assert static_files.front.requests(path) == 4
    time.sleep(2.2)
    static_files.front.stop()
    assert curl(revalidated).body == b"version 2, longer\n"  # the upstream away: as stored


def test_a_path_with_a_hash_sign_is_fetched_as_that_path(live, static_files):
    proxy_of("gen-proxy", static_files)
    seeded(static_files, "gp/odd/a#b.txt", b"the file with a hash sign")
    seeded(static_files, "gp/odd/a", b"another file")
    url = live.repo_url("gen-proxy") + "gp/odd/a%23b.txt"
    with urllib.request.urlopen(url) as response:
        assert response.read() == b"the file with a hash sign"
