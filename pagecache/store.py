"""Copies of pages in this app server's memory, bounded, and dropped by surrogate key.

Each copy is tagged with the content version it was made under and the surrogate keys
of what it shows; pagecache.invalidation drops copies whose keys a committed change
touched (or every copy, when it cannot be sure). Copies are kept in shelves, each with
its own byte budget, least recently used first out, so a flood of one kind (searches,
say) can only push out its own kind. An index from surrogate key to copies makes a
purge cost what it drops, not what is kept.
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
        self._index = {}  # surrogate key -> {(shelf name, copy key)}
        self._lock = threading.Lock()

    def get(self, shelf, key, floor):
        """The copy if it is there, unexpired and made under `floor` or a later version."""
        with self._lock:
            copies = self._shelves[shelf].copies
            copy = copies.get(key)
            if copy is None:
                return None
            if copy.version < floor or copy.expires <= time.time():
                self._drop(shelf, key)
                return None
            copies.move_to_end(key)
            return copy

    def put(self, shelf, key, value, *, size, keys, version, seconds):
        name, shelf = shelf, self._shelves[shelf]
        if size > shelf.budget // 4:
            return  # one page must not empty a shelf
        keys = frozenset(keys)
        with self._lock:
            if key in shelf.copies:
                self._drop(name, key)
            shelf.copies[key] = Copy(value, size, keys, version, time.time() + seconds)
            shelf.used += size
            for surrogate in keys:
                self._index.setdefault(surrogate, set()).add((name, key))
            while shelf.used > shelf.budget:
                self._drop(name, next(iter(shelf.copies)))

    def purge(self, keys, shelves=None):
        """Drop every copy that carries one of `keys` (all of them for ALL), on every
        shelf or on the named `shelves`."""
        with self._lock:
            if ALL in keys and shelves is None:
                for shelf in self._shelves.values():
                    shelf.copies.clear()
                    shelf.used = 0
                self._index.clear()
                return
            if ALL in keys:
                for name in shelves:
                    for key in list(self._shelves[name].copies):
                        self._drop(name, key)
                return
            for surrogate in keys:
                for name, key in list(self._index.get(surrogate, ())):
                    if shelves is None or name in shelves:
                        self._drop(name, key)

    def clear(self):
        self.purge({ALL})

    def __len__(self):
        return sum(len(shelf.copies) for shelf in self._shelves.values())

    def shelf(self, name):
        """A shelf: its `budget` and the bytes it `used`, and its `copies`."""
        return self._shelves[name]

    def count(self, shelf):
        return len(self._shelves[shelf].copies)

    def _drop(self, name, key):
        shelf = self._shelves[name]
        copy = shelf.copies.pop(key)
        shelf.used -= copy.size
        for surrogate in copy.keys:
            holders = self._index.get(surrogate)
            if holders is not None:
                holders.discard((name, key))
                if not holders:
                    del self._index[surrogate]
