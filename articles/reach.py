"""Reach: unique declared readers of an article per day, with no IP address stored.

Reads are kept in the process and written in one INSERT every
HUB_REACH_FLUSH_SECONDS (5 s by default; 0 writes each at once), so a page served
from the page cache stays free of queries; readers() writes the process's pending
reads first. A process that dies loses at most those seconds of reads.

The article page loads a beacon (articles.views.article_seen), which calls
record_read(article_id, reader_key): the page itself may come from an HTTP cache that
Django never hears of. Either costs one INSERT … ON
CONFLICT DO NOTHING; the day's salt comes from the cache (the database on a miss).
"""

import atexit
import functools
import hashlib
import hmac
import secrets
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError
from django.utils import timezone

from articles.models import ArticleRead, DailySalt
from hubs import directory

# The HCP gate's signed declaration cookie (accounts.gate.COOKIE_NAME); the core
# reads its name from settings so it need not know the accounts app.
READER_COOKIE_SETTING = "HUB_READER_COOKIE"


_declared_reader = []  # the gate's reader_id(request), registered by the app that owns it


def identify_declared_readers(reader_id):
    """Let the HCP gate say which declared visitor is reading: `reader_id(request)` is the
    same for a browser however many times it declares, or None if it has not."""
    _declared_reader[:] = [reader_id]


def reader_key(request):
    """Who is reading, as the gate knows them: the account, or the declaration.

    None for staff (editors checking a page are not readers) and for anyone the
    gate let through without either (views marked gate-exempt).
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None if user.is_staff else f"user:{user.pk}"
    if _declared_reader:
        declared = _declared_reader[0](request)
    else:
        declared = request.COOKIES.get(getattr(settings, READER_COOKIE_SETTING, "hub_hcp"))
    return f"declared:{declared}" if declared else None


def record_read(article_id, reader_key, hub_id=None):
    """Count a reader (an opaque key, e.g. from reader_key()) of an article today, on
    `hub_id` (the hub being served by default)."""
    if not reader_key:
        return
    day = _today(int(time.time()))
    digest = _digest(day, reader_key)
    hub_id = hub_id or directory.current().id
    with _lock:
        _pending[(article_id, hub_id, day, digest)] = None
        due = time.monotonic() - _flushed[0] >= settings.HUB_REACH_FLUSH_SECONDS
    if due or len(_pending) >= 1000:
        flush()


@functools.lru_cache(maxsize=1)
def _today(second):
    """The local date in this second (asked once a second: a cached page counts every read)."""
    return timezone.localdate()


def _digest(day, reader_key):
    """The reader's hash for the day, remembered for the readers seen today."""
    with _digest_lock:  # threads crossing midnight must not mix two days' hashes
        if _digests.get(None) != day:  # a new day: forget yesterday's with its salt
            _digests.clear()
            _digests[None] = day
        digest = _digests.get(reader_key)
    if digest is None:
        digest = hmac.new(_salt(day).encode(), reader_key.encode(), hashlib.sha256).hexdigest()
        with _digest_lock:
            if _digests.get(None) == day:
                if len(_digests) > 10_000:
                    _digests.clear()
                    _digests[None] = day
                _digests[reader_key] = digest
    return digest


_digest_lock = threading.Lock()


_digests = {}  # reader key -> hash, and None -> the day they are for
_pending = {}  # (article id, hub id, day, reader hash), in order, without repeats
_flushed = [time.monotonic()]
_lock = threading.Lock()


def flush():
    """Write this process's pending reads (a repeat of a stored read is ignored)."""
    with _lock:
        reads, _flushed[0] = list(_pending), time.monotonic()
        _pending.clear()
    if reads:
        ArticleRead.objects.bulk_create(
            [ArticleRead(article_id=a, hub_id=hub, day=d, reader_hash=h) for a, hub, d, h in reads],
            ignore_conflicts=True,
        )


atexit.register(flush)


def _salt(day):
    kept = _salts.get(day)  # one lookup: another thread may clear the dict at midnight
    if kept is not None:
        return kept
    key = f"articles:reach-salt:{day.isoformat()}"
    salt = cache.get(key)
    if salt is None:
        salt = _stored_salt(day)
        cache.set(key, salt, 60 * 60 * 25)
    _salts.clear()  # one day's salt kept in the process, never an older one
    _salts[day] = salt
    return salt


_salts = {}


def _stored_salt(day):
    """The day's salt, shared by every app server; made (and older ones dropped) once a day."""
    try:
        salt, created = DailySalt.objects.get_or_create(
            day=day, defaults={"value": secrets.token_hex(32)}
        )
    except IntegrityError:  # another server made it first
        salt, created = DailySalt.objects.get(day=day), False
    if created:
        DailySalt.objects.filter(day__lt=day).delete()
    return salt.value


def readers(article, since=None, until=None, hubs=None):
    """Reader-days of an article (on `hubs`, ids; None: every hub): unique readers per
    day and hub, summed over the days."""
    flush()
    reads = ArticleRead.objects.filter(article=article)
    if hubs is not None:
        reads = reads.filter(hub_id__in=hubs)
    if since:
        reads = reads.filter(day__gte=since)
    if until:
        reads = reads.filter(day__lte=until)
    return reads.count()
