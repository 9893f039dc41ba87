"""Uploads stream: ingesting 200 MiB keeps memory flat on either backend."""

import tracemalloc

MIB = 1024 * 1024
TOTAL_MIB = 200
# Multipart S3 uploads hold a few 8 MiB parts; the filesystem holds one chunk.
PEAK_LIMIT = 48 * MIB


def body(block: bytes = b"\x5a" * MIB):
    for _ in range(TOTAL_MIB):
        yield block


def test_it_ingests_200_mib_without_holding_it_in_memory(store):
    tracemalloc.start()
    try:
        digests = store.ingest(body())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digests.size == TOTAL_MIB * MIB
    assert store.exists(digests.sha256)
    assert peak < PEAK_LIMIT, f"peak {peak / MIB:.1f} MiB while ingesting {TOTAL_MIB} MiB"
