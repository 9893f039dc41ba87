"""One process of the single-flight test: several threads want the same upstream file.

Usage: python -m tests.proxy.flight_caller URL CACHE_FILE THREADS GO_FILE
Prints "ready" once set up, starts when GO_FILE exists (so every process starts at once),
then prints one line per thread: the sha256 of what it got.
"""

import hashlib
import os
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "repository.settings")

import django

django.setup()

from repository.proxy.flight import single_flight  # noqa: E402


def main() -> None:
    url, cache, threads, go = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])

    def cached() -> bytes | None:
        return cache.read_bytes() if cache.exists() else None

    def fetch() -> bytes:
        with urllib.request.urlopen(url, timeout=30) as response:
            data = response.read()
        temp = cache.with_name(f"{cache.name}.{os.getpid()}")
        temp.write_bytes(data)
        os.replace(temp, cache)
        return data

    def call(_: int) -> str:
        return hashlib.sha256(single_flight(url, cached, fetch)).hexdigest()

    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.01)
    with ThreadPoolExecutor(threads) as pool:
        for digest in pool.map(call, range(threads)):
            print(digest)


if __name__ == "__main__":
    main()
