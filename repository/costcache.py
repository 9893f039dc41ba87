"""A per-process LRU bounded by what its entries cost, shared by a process's threads.

Used for the memory copies of served documents (doccache.py), kept answers
(responsecache.py) and kept rows (hotcache.py, where each entry costs 1). Each entry says
its own cost (in bytes, roughly), and one entry may take at most a quarter of the budget,
so a single huge one cannot empty the rest.
"""

import threading
from collections import OrderedDict
from typing import Generic, Protocol, TypeVar


class Costed(Protocol):
    @property
    def cost(self) -> int: ...


Entry = TypeVar("Entry", bound=Costed)


class CostBoundedCache(Generic[Entry]):
    def __init__(self, max_bytes: int, max_entries: int | None = None) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if entry.cost > self.max_bytes // 4:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = entry
            self._total += entry.cost
            while self._total > self.max_bytes or (
                self.max_entries is not None and len(self._entries) > self.max_entries
            ):
                self._drop(next(iter(self._entries)))

    def discard(self, key: tuple, entry: Entry) -> None:
        """Forget `entry`, unless another thread has already put a newer one."""
        with self._lock:
            if self._entries.get(key) is entry:
                self._drop(key)

    def _drop(self, key: tuple) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._total -= entry.cost

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._total = 0
