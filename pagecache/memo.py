"""common.memo's values, kept in this process's store and dropped by the watch.

Site-wide values live on the "memo" shelf under their surrogate keys, exact in the same
way as kept pages (a change's NOTIFY drops them); readers' values on the "readers" shelf
under their reader's tags (common.memo's triggers). Only while the watch listens
(PostgreSQL): elsewhere, or with HUB_PAGE_CACHE off, every value is loaded afresh.

MemoCache is the same memo as a Django cache backend, for a library that takes a cache
alias (django-cookie-consent's cookie groups): what it keeps is dropped by any change
to the site ("site" purges); when the memo is off it is the default cache.
"""

import threading

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

from pagecache import local

# Values are small; the shelves' byte budgets count each as this much.
VALUE_SIZE = 2048
SECONDS = 24 * 3600  # exact while kept; the bound only ages out what nobody asks for


def _watch():
    if not settings.HUB_PAGE_CACHE:
        return None
    watch = local.watch()
    return watch if watch.hears_readers else None


class Memo:
    def __init__(self):
        self.loading = threading.local()  # per thread: a stack of loads' companions

    def keeps(self):
        return _watch() is not None

    def content(self, name, keys, load):
        watch = _watch()
        if watch is None:
            return load()
        copy, version = watch.lookup("memo", name)
        if copy is not None:
            return copy.value
        value = load()
        if version is not None and value is not None:
            watch.keep(
                "memo", name, value, size=VALUE_SIZE, keys=keys, version=version, seconds=SECONDS
            )
        return value

    def personal(self, tag, name, load):
        watch = _watch()
        if watch is None:
            return load()
        key = (tag, name)
        copy, version, mark = watch.lookup_personal("readers", key)
        if copy is not None:
            return copy.value
        stack = self.loading.__dict__.setdefault("stack", [])
        stack.append([])
        try:
            value = load()
        finally:
            companions = stack.pop()
        if version is not None:
            # Values read together are dropped together, to be read together again.
            together = {tag, *(companion[0] for companion in companions)}
            for kept_tag, kept_name, kept in [(tag, name, value), *companions]:
                if kept is None:
                    continue
                watch.keep_personal(
                    "readers",
                    (kept_tag, kept_name),
                    kept,
                    tags=together if kept_tag == tag else {kept_tag},
                    version=version,
                    mark=mark,
                    size=VALUE_SIZE,
                    seconds=SECONDS,
                )
        return value

    def also(self, tag, name, value):
        stack = getattr(self.loading, "stack", None)
        if stack:
            stack[-1].append((tag, name, value))

    def forget(self, tags):
        local.watch().heard_personal(tags)


class MemoCache(BaseCache):
    """A cache alias backed by the memo: entries dropped by "site" purges. A value is
    kept only by a set() that follows the same thread's get() miss of its key (as
    get_or_set and add do), under the version that miss saw: a change committed while
    the value was read then drops it."""

    def __init__(self, location, params):
        super().__init__(params)
        self.missed = threading.local()

    def _misses(self):
        if not hasattr(self.missed, "versions"):
            self.missed.versions = {}
        return self.missed.versions

    def get(self, key, default=None, version=None):
        watch = _watch()
        if watch is None:
            return caches["default"].get(key, default, version=version)
        key = self.make_and_validate_key(key, version=version)
        copy, current = watch.lookup("memo", ("cache", key))
        if copy is None:
            if current is not None:
                # The first miss counts: get_or_set misses again inside add(), after
                # the value was read. An older version only keeps less.
                self._misses().setdefault(key, current)
            return default
        return copy.value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        watch = _watch()
        if watch is None:
            caches["default"].set(key, value, timeout, version=version)
            return
        key = self.make_and_validate_key(key, version=version)
        missed_under = self._misses().pop(key, None)
        if missed_under is None:
            return
        watch.keep(
            "memo",
            ("cache", key),
            value,
            size=VALUE_SIZE,
            keys={"site", f"cache:{key}"},
            version=missed_under,
            seconds=SECONDS,
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.get(key, version=version) is not None:
            return False
        self.set(key, value, timeout, version)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.get(key, version=version) is not None

    def delete(self, key, version=None):
        # The change that made the caller delete also purges "site" when it commits.
        caches["default"].delete(key, version=version)
        key = self.make_and_validate_key(key, version=version)
        self._misses().pop(key, None)
        local.STORE.purge({f"cache:{key}"})
        return True

    def has_key(self, key, version=None):
        return self.get(key, version=version) is not None

    def clear(self):
        caches["default"].clear()
        local.STORE.clear()
