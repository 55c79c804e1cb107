"""Copies of pages in this app server's memory, bounded, and dropped by surrogate key.

Each copy is tagged with the content version it was made under and the surrogate keys
of what it shows; pagecache.invalidation drops copies whose keys a committed change
touched (or every copy, when it cannot be sure). Copies are kept in shelves, each with
its own byte budget, least recently used first out, so a flood of one kind (searches,
say) can only push out its own kind.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

ALL = "site"  # the key every shared page carries: a change to it drops every copy


@dataclass
class Copy:
    value: object
    size: int
    keys: frozenset
    version: object
    expires: float
    stored: float = field(default_factory=time.time)


class Shelf:
    def __init__(self, budget):
        self.budget = budget
        self.used = 0
        self.copies = OrderedDict()


class Store:
    def __init__(self, budgets):
        self._shelves = {name: Shelf(budget) for name, budget in budgets.items()}
        self._lock = threading.Lock()

    def get(self, shelf, key, floor):
        """The copy if it is there, unexpired and made under `floor` or a later version."""
        with self._lock:
            shelf = self._shelves[shelf]
            copy = shelf.copies.get(key)
            if copy is None:
                return None
            if copy.version < floor or copy.expires <= time.time():
                self._drop(shelf, key)
                return None
            shelf.copies.move_to_end(key)
            return copy

    def put(self, shelf, key, value, *, size, keys, version, seconds):
        shelf = self._shelves[shelf]
        if size > shelf.budget // 4:
            return  # one page must not empty a shelf
        with self._lock:
            if key in shelf.copies:
                self._drop(shelf, key)
            shelf.copies[key] = Copy(value, size, frozenset(keys), version, time.time() + seconds)
            shelf.used += size
            while shelf.used > shelf.budget:
                self._drop(shelf, next(iter(shelf.copies)))

    def purge(self, keys):
        """Drop every copy that carries one of `keys` (all of them for ALL)."""
        keys = frozenset(keys)
        with self._lock:
            for shelf in self._shelves.values():
                if ALL in keys:
                    shelf.copies.clear()
                    shelf.used = 0
                    continue
                for key in [k for k, copy in shelf.copies.items() if copy.keys & keys]:
                    self._drop(shelf, key)

    def clear(self):
        self.purge({ALL})

    def __len__(self):
        return sum(len(shelf.copies) for shelf in self._shelves.values())

    def shelf(self, name):
        """A shelf: its `budget` and the bytes it `used`, and its `copies`."""
        return self._shelves[name]

    def count(self, shelf):
        return len(self._shelves[shelf].copies)

    @staticmethod
    def _drop(shelf, key):
        copy = shelf.copies.pop(key)
        shelf.used -= copy.size
