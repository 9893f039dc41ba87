"""The core's flat-memory claim, end to end: 500 MB through gunicorn and back, RSS sampled.

The upload is streamed from the request into the blob store while hashing, the download
streamed (sendfile) from it; neither may hold the file in a worker's memory.
"""

import hashlib
import subprocess
import threading
import time
from pathlib import Path

import pytest

from repository.storage import blob_store
from tests.e2e.conftest import require_tool
from tests.generic.fixtures import (  # noqa: F401 - fixtures
    curl_fixture,
    deployer_auth_fixture,
    fast_password_hashing,
)

pytestmark = pytest.mark.e2e

SIZE = 500 * 1024 * 1024
RSS_LIMIT = 150 * 1024 * 1024
CHUNK = 4 * 1024 * 1024


def children(pid: int) -> list[int]:
    """Processes whose parent is `pid` (the gunicorn master's are its workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class PeakRss(threading.Thread):
    """Samples the resident memory of some processes until stopped; keeps each one's peak."""

    def __init__(self, pids: list[int], interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pids = pids
        self.interval = interval
        self.peaks = dict.fromkeys(pids, 0)
        self.samples = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            for pid in self.pids:
                self.peaks[pid] = max(self.peaks[pid], rss_bytes(pid))
            self.samples += 1
            time.sleep(self.interval)

    def stop(self) -> dict[int, int]:
        self._done.set()
        self.join()
        return self.peaks


def zeros_sha256(size: int) -> str:
    digest, block = hashlib.sha256(), bytes(CHUNK)
    for offset in range(0, size, CHUNK):
        digest.update(block[: min(CHUNK, size - offset)])
    return digest.hexdigest()


def streamed_sha256(command: list[str]) -> tuple[str, int]:
    """sha256 and length of a command's stdout, read in chunks (never whole)."""
    digest, length = hashlib.sha256(), 0
    with subprocess.Popen(command, stdout=subprocess.PIPE) as process:
        while chunk := process.stdout.read(CHUNK):
            digest.update(chunk)
            length += len(chunk)
    assert process.returncode == 0
    return digest.hexdigest(), length


def test_it_streams_500_mb_up_and_down_in_flat_worker_memory(
    live, make_repository, deployer_auth, curl, tmp_path
):
    make_repository("big", "generic")
    source = tmp_path / "big.bin"
    with open(source, "wb") as handle:
        handle.truncate(SIZE)  # sparse: 500 MB of zeros without writing them
    expected = zeros_sha256(SIZE)
    url = live.repo_url("big") + "images/big.bin"
    workers = [worker for pid in live.pids for worker in children(pid)]
    assert len(workers) == 2, workers

    sampler = PeakRss(workers)
    sampler.start()
    try:
        uploaded = curl(
            "-u", deployer_auth, "-H", f"X-Checksum-Sha256: {expected}", "-T", str(source), url
        )
        assert uploaded.status == 201, uploaded.text
        digest, length = streamed_sha256(
            [require_tool("curl"), "-q", "-sS", "--fail", "--noproxy", "*", url]
        )
    finally:
        peaks = sampler.stop()
        blob_store().delete(expected)  # 500 MB; its rows go with the test database flush

    assert (digest, length) == (expected, SIZE)
    assert sampler.samples > 10
    megabytes = {pid: round(peak / 2**20) for pid, peak in peaks.items()}
    assert max(peaks.values()) < RSS_LIMIT, f"worker peak RSS in MB: {megabytes}"
