"""The tee: an upstream file streamed to the client while stored, kept only when complete
and matching the hashes the upstream's index published, in either blob store."""

import base64
import hashlib
import json
import os
import urllib.request

import pytest
from prometheus_client import REGISTRY

from repository.models import Blob
from repository.proxy.client import UpstreamClient
from repository.proxy.errors import DigestMismatch, UpstreamIncomplete
from repository.proxy.flight import StillInFlight, await_turn
from repository.proxy.tee import ExpectedDigest, Tee
from repository.storage.filesystem import FilesystemBlobStore
from tests.proxy.helpers import settings_for

DATA = os.urandom(1024 * 1024 + 123)  # seventeen chunks
SHA256 = ExpectedDigest("sha256", hashlib.sha256(DATA).hexdigest())


@pytest.fixture
def upstream(static_files):
    static_files.seed("tee/file.bin", DATA)
    return static_files


def fetch(upstream, path="tee/file.bin"):
    client = UpstreamClient(settings_for(upstream.url + "/"), label="tee-test")
    return client.get(client.url_for(path))


def mismatches() -> float:
    labels = {"repository": "tee-test", "reason": "digest_mismatch"}
    return REGISTRY.get_sample_value("larder_proxy_upstream_errors_total", labels) or 0


def test_it_streams_and_stores_a_verified_file(db, store, temp_leftovers, upstream):
    stored = []
    tee = Tee(fetch(upstream), [SHA256], on_stored=stored.append, size=len(DATA), store=store)
    assert b"".join(tee) == DATA
    assert stored == [tee.blob]
    assert tee.blob.sha256 == SHA256.hexdigest and tee.blob.size == len(DATA)
    assert Blob.objects.filter(pk=SHA256.hexdigest).exists()
    with store.open(SHA256.hexdigest) as handle:
        assert handle.read() == DATA
    assert temp_leftovers(store) == []


def test_a_hash_mismatch_stores_nothing_and_the_client_sees_a_broken_body(
    db, store, temp_leftovers, upstream, caplog
):
    upstream.front.fault(path="/tee/file.bin", corrupt=True)
    before = (
        REGISTRY.get_sample_value(
            "larder_proxy_upstream_errors_total",
            {"repository": "tee-test", "reason": "digest_mismatch"},
        )
        or 0
    )
    stored = []
    tee = Tee(fetch(upstream), [SHA256], on_stored=stored.append, store=store)
    received = []
    with pytest.raises(DigestMismatch):
        for chunk in tee:
            received.append(chunk)
    assert 0 < len(b"".join(received)) < len(DATA)  # the last chunk never went out
    assert stored == [] and tee.blob is None
    assert not Blob.objects.exists()
    assert list(store.keys()) == [] and temp_leftovers(store) == []
    assert "refused: sha256" in caplog.text
    after = REGISTRY.get_sample_value(
        "larder_proxy_upstream_errors_total",
        {"repository": "tee-test", "reason": "digest_mismatch"},
    )
    assert after - before == 1


def test_a_transfer_that_breaks_off_stores_nothing(db, store, temp_leftovers, upstream):
    upstream.front.fault(path="/tee/file.bin", cut_after=300_000)
    tee = Tee(fetch(upstream), [SHA256], store=store)
    with pytest.raises(UpstreamIncomplete):
        b"".join(tee)
    assert list(store.keys()) == [] and temp_leftovers(store) == []


def test_a_client_that_leaves_early_stores_nothing(db, store, temp_leftovers, upstream):
    stream = iter(Tee(fetch(upstream), [SHA256], store=store))
    next(stream)
    stream.close()
    assert list(store.keys()) == [] and temp_leftovers(store) == []
    assert not Blob.objects.exists()


def test_a_wrong_size_is_refused_like_a_wrong_hash(db, fs_store, upstream):
    tee = Tee(fetch(upstream), [SHA256], size=len(DATA) + 1, store=fs_store)
    with pytest.raises(DigestMismatch, match="bytes where the index said"):
        b"".join(tee)


def test_a_failing_store_still_serves_the_client(db, tmp_path, upstream, caplog):
    (tmp_path / "not-a-dir").write_text("")
    broken = FilesystemBlobStore(tmp_path / "not-a-dir")
    tee = Tee(fetch(upstream), [SHA256], store=broken)
    assert b"".join(tee) == DATA
    assert tee.blob is None
    assert "passed on but not cached" in caplog.text


def test_an_npm_tarball_is_checked_against_integrity_and_shasum(db, store, verdaccio):
    with urllib.request.urlopen(verdaccio.registry + "is-number") as response:
        dist = json.load(response)["versions"]["7.0.0"]["dist"]
    expected = [
        ExpectedDigest.from_integrity(dist["integrity"]),
        ExpectedDigest("sha1", dist["shasum"]),
    ]
    client = UpstreamClient(settings_for(verdaccio.registry), label="tee-test")
    tee = Tee(client.get(dist["tarball"]), expected, store=store)
    body = b"".join(tee)
    assert hashlib.sha1(body).hexdigest() == dist["shasum"]
    assert tee.blob.sha512 == expected[0].hexdigest


def test_integrity_strings_are_read_strictly():
    sha1 = hashlib.sha1(b"x")
    integrity = "sha1-" + base64.b64encode(sha1.digest()).decode()
    assert ExpectedDigest.from_integrity(integrity) == ExpectedDigest("sha1", sha1.hexdigest())
    for bad in ("md5-AAAA", "sha512-not base64!", "sha512", "sha256-" + integrity[5:]):
        with pytest.raises(ValueError):
            ExpectedDigest.from_integrity(bad)


def test_the_single_flight_lead_is_held_for_the_transfer_and_released(db, fs_store, upstream):
    turn = await_turn("tee-flight", lambda: None)
    stream = iter(Tee(fetch(upstream), [SHA256], store=fs_store, leader=turn.leader))
    next(stream)
    with pytest.raises(StillInFlight):
        await_turn("tee-flight", lambda: None, wait_seconds=0.1)
    for _ in stream:
        pass
    with await_turn("tee-flight", lambda: None).leader as again:
        assert again is not None
