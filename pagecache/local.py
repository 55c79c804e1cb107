"""This process's kept copies of pages and the watch that keeps them exact."""

from django.conf import settings

from pagecache import invalidation
from pagecache.store import Store

MB = 1024 * 1024

# Shelves: shared pages, searches (a flood of distinct queries pushes out only other
# searches), and logged-in readers' shells.
STORE = Store(
    {
        "pages": getattr(settings, "HUB_LOCAL_CACHE_MB", 32) * MB,
        "search": 4 * MB,
        "shells": 16 * MB,
    }
)


def watch():
    return invalidation.watch(STORE)
