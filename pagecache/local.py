"""This process's kept copies of pages and the watch that keeps them exact."""

from django.conf import settings

from pagecache import invalidation
from pagecache.store import Store

MB = 1024 * 1024

# Shelves: shared pages for declared readers; a bounded one for searches and for what
# visitors who have not declared see (any address under an article's path gets the
# gate), so a flood of made-up queries or addresses pushes out only its own kind; and
# logged-in readers' shells; and common.memo's values: site-wide ones ("memo") and
# readers' own ("readers", about 2 kB counted per value: 16 MB holds ~8,000).
STORE = Store(
    {
        "pages": getattr(settings, "HUB_LOCAL_CACHE_MB", 32) * MB,
        "bounded": 8 * MB,
        "shells": 16 * MB,
        "memo": 4 * MB,
        "readers": 16 * MB,
    }
)


def watch():
    return invalidation.watch(STORE)
