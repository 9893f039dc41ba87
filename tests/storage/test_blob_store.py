"""The BlobStore protocol, as the rest of Larder relies on it, on the filesystem and on S3."""

import hashlib
import os
import stat
import time
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

from repository.storage.filesystem import FilesystemBlobStore

DATA = bytes(range(256)) * 64  # 16 KiB
SHA256 = hashlib.sha256(DATA).hexdigest()


def chunks(data: bytes, size: int = 1000):
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_it_ingests_a_stream_and_reports_every_digest(store):
    digests = store.ingest(chunks(DATA))
    assert digests.size == len(DATA)
    assert digests.sha256 == SHA256
    assert digests.sha1 == hashlib.sha1(DATA).hexdigest()
    assert digests.md5 == hashlib.md5(DATA).hexdigest()
    assert digests.sha512 == hashlib.sha512(DATA).hexdigest()
    assert digests.blake2b_256 == hashlib.blake2b(DATA, digest_size=32).hexdigest()


def test_it_reads_back_the_exact_bytes(store):
    store.ingest(chunks(DATA))
    with store.open(SHA256) as handle:
        assert handle.read() == DATA


def test_it_streams_an_inclusive_byte_range(store):
    store.ingest(chunks(DATA))
    assert b"".join(store.iter_range(SHA256, 100, 199)) == DATA[100:200]
    assert b"".join(store.iter_range(SHA256, 0, len(DATA) - 1)) == DATA
    assert b"".join(store.iter_range(SHA256, len(DATA) - 1, len(DATA) - 1)) == DATA[-1:]


def test_it_knows_what_exists_and_forgets_what_is_deleted(store):
    assert not store.exists(SHA256)
    store.ingest(chunks(DATA))
    assert store.exists(SHA256)
    store.delete(SHA256)
    assert not store.exists(SHA256)


def test_it_deletes_a_missing_blob_without_complaint(store):
    store.delete(SHA256)
    assert not store.exists(SHA256)


def test_gc_deletes_bytes_written_before_the_cutoff_and_spares_newer_ones(store):
    store.ingest(chunks(DATA))
    assert store.delete_if_unwritten_since(SHA256, time.time() - 3600) is False
    assert store.exists(SHA256)
    assert store.delete_if_unwritten_since(SHA256, time.time() + 3600) is True
    assert not store.exists(SHA256)
    assert store.delete_if_unwritten_since(SHA256, time.time() + 3600) is False


def test_an_upload_of_the_same_bytes_just_after_gc_judged_their_age_keeps_them(
    tmp_path, monkeypatch
):
    """The filesystem store: GC has found the file old and is about to delete it when an
    upload stores the same bytes again. The upload must find them stored afterwards."""
    store = FilesystemBlobStore(tmp_path)
    store.ingest(chunks(DATA))
    a_day_ago = time.time() - 86400
    os.utime(store.local_path(SHA256), (a_day_ago, a_day_ago))
    real_stat = Path.stat
    uploaded = []

    def stat_then_upload(path, *args, **kwargs):
        """The first look at a file's age is followed at once by the upload."""
        result = real_stat(path, *args, **kwargs)
        if stat.S_ISREG(result.st_mode) and not uploaded:
            uploaded.append(path)
            store.ingest(chunks(DATA))
        return result

    monkeypatch.setattr(Path, "stat", stat_then_upload)
    store.delete_if_unwritten_since(SHA256, time.time() - 3600)
    monkeypatch.undo()
    assert uploaded
    with store.open(SHA256) as handle:
        assert handle.read() == DATA


def test_it_stores_identical_bytes_once(store):
    first = store.ingest(chunks(DATA, 4096))
    second = store.ingest(chunks(DATA, 333))
    assert first == second
    assert list(dict(store.keys())) == [SHA256]


def test_it_lists_every_blob_with_its_modification_time(store):
    other = b"another blob"
    store.ingest([DATA])
    store.ingest([other])
    listed = dict(store.keys())
    assert set(listed) == {SHA256, hashlib.sha256(other).hexdigest()}
    assert all(isinstance(mtime, float) and mtime > 0 for mtime in listed.values())


def test_it_stores_an_empty_blob(store):
    digests = store.ingest([])
    assert digests.size == 0
    assert digests.sha256 == hashlib.sha256(b"").hexdigest()
    assert store.exists(digests.sha256)


def test_it_passes_its_readiness_check(store):
    store.check()


def test_it_fails_the_readiness_check_when_the_bucket_is_gone(moto_s3):
    store = moto_s3.store("x")
    store.bucket = "no-such-bucket"
    with pytest.raises(Exception):  # noqa: B017 - any botocore error will do
        store.check()


def test_it_fails_the_readiness_check_when_the_directory_is_unusable(tmp_path):
    from repository.storage.filesystem import FilesystemBlobStore

    not_a_directory = tmp_path / "file"
    not_a_directory.write_bytes(b"")
    with pytest.raises(OSError):
        FilesystemBlobStore(not_a_directory).check()


def test_it_offers_a_local_path_for_sendfile_only_on_the_filesystem(fs_store, s3_store):
    fs_store.ingest([DATA])
    s3_store.ingest([DATA])
    assert fs_store.local_path(SHA256).read_bytes() == DATA
    assert s3_store.local_path(SHA256) is None


def test_it_presigns_nothing_unless_redirects_are_enabled(fs_store, s3_store):
    assert fs_store.presigned_url(SHA256, "f.bin", "application/octet-stream") is None
    assert s3_store.presigned_url(SHA256, "f.bin", "application/octet-stream") is None


def test_it_presigns_a_working_download_url_when_redirects_are_enabled(moto_s3, s3_prefix):
    store = moto_s3.store(s3_prefix, redirect=True, presign_seconds=60)
    store.ingest([DATA])
    url = store.presigned_url(SHA256, "demo-1.0.tar.gz", "application/gzip")
    with urllib.request.urlopen(url) as response:
        assert response.read() == DATA
        assert response.headers["Content-Type"] == "application/gzip"
        assert "demo-1.0.tar.gz" in response.headers["Content-Disposition"]


def test_it_refreshes_the_modification_time_when_bytes_are_ingested_again(store):
    """GC spares young blobs: bytes an upload just reused must look young again."""
    store.ingest([DATA])
    (before,) = dict(store.keys()).values()
    time.sleep(1.1)  # S3 keeps LastModified to the second
    store.ingest([DATA])
    (after,) = dict(store.keys()).values()
    assert after > before


@pytest.mark.parametrize("filename", ['say "hi".txt', "naïve résumé.tar.gz"])
def test_it_presigns_a_download_name_that_survives_quotes_and_non_ascii(
    moto_s3, s3_prefix, filename
):
    store = moto_s3.store(s3_prefix, redirect=True)
    store.ingest([DATA])
    with urllib.request.urlopen(store.presigned_url(SHA256, filename, "text/plain")) as response:
        disposition = Message()
        disposition["Content-Disposition"] = response.headers["Content-Disposition"]
    assert disposition.get_filename() == filename
