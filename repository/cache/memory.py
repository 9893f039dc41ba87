"""A process's memory caches: cachetools LRUs bounded by what their entries cost, made safe
for the threads of a gthread worker (cachetools' caches are not thread-safe by themselves).

One entry may take at most a quarter of the budget, so a single huge document cannot push
every other entry out.
"""

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import LRUCache

Entry = TypeVar("Entry")


class MemoryCache(Generic[Entry]):
    def __init__(self, max_cost: int, cost: Callable[[Entry], int] = lambda entry: 1) -> None:
        self.max_cost = max_cost
        self._cost = cost
        self._entries: LRUCache[Hashable, Entry] = LRUCache(maxsize=max_cost, getsizeof=cost)
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Entry | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: Hashable, entry: Entry) -> None:
        if self._cost(entry) > self.max_cost // 4:
            return
        with self._lock:
            self._entries[key] = entry

    def discard(self, key: Hashable, entry: Entry) -> None:
        """Forget `entry`, unless another thread has already put a newer one."""
        with self._lock:
            if self._entries.get(key) is entry:
                del self._entries[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
