"""Knowing, without a query per page, which kept copies still hold.

The content version (pagecache.models.ContentVersion) is bumped in the transaction of
every change to content, and on PostgreSQL the same transaction sends a NOTIFY on
CHANNEL with the new version and the surrogate keys the change touched. PostgreSQL
delivers it when, and only when, the change commits. Each app server process keeps one
connection that LISTENs; before a kept copy is served, the process looks for news on
that connection with a poll(2) that does not wait, and drops the copies the news names.

It fails closed: while the connection is down (PostgreSQL restarted, the connection
terminated, keepalives unanswered) no copy is served, and once it is back every copy
made before is dropped. On other databases (SQLite, for development) the version is
read from the database before each copy is served, and any change drops every copy.

The same connection LISTENs on common.memo's channel for changes to readers' rows
(their session, account, bookmarks, attempts), which triggers send with the tags of the
readers named; the values kept for them (pagecache.memo) are dropped the same way.
Those changes carry no version: a value loaded while one was heard is not kept.
"""

import abc
import contextlib
import logging
import os
import select
import threading
import time

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver

from common import memo
from pagecache.store import ALL

logger = logging.getLogger(__name__)

CHANNEL = "hub_pages"
RETRY_SECONDS = 2
DRAIN_SECONDS = 0.001
RECENT_KEYS = 10_000  # keys remembered with the version that last purged them


class Watch(abc.ABC):
    """What kept copies may be trusted: Listening (PostgreSQL) or Reading (the rest)."""

    # Whether changes to readers' rows are heard without a query (common.memo).
    hears_readers = False

    def __init__(self, store):
        self.store = store
        self.floor = None  # copies made under an older version are not served
        self.purged = {}  # surrogate key -> the version whose change purged it
        self.lock = threading.RLock()
        # Readers' changes have no version: each one heard is numbered here instead.
        self.heard_count = 0
        self.heard_floor = 0  # values loaded before this count are not kept
        self.heard_tags = {}  # reader tag -> the count when it was last heard

    @abc.abstractmethod
    def current(self):
        """The current content version, or None when kept copies must not be trusted."""

    def begin_request(self):  # noqa: B027 (a hook: only Listening needs it)
        """A request starts in this thread (Django's request_started)."""

    def end_request(self):  # noqa: B027
        """This thread's request has ended (Django's request_finished)."""

    def may_keep(self, version, keys):
        """Whether a copy rendered under `version` may be kept: no change to what it
        shows has been heard of since (a change committed mid-render would make it stale)."""
        if version is None:
            return False
        with self.lock:
            latest = self.current()
            if latest is None or (self.floor is not None and version < self.floor):
                return False
            return all(self.purged.get(key, version) <= version for key in keys)

    def lookup(self, shelf, key):
        """(a kept copy that may be served now or None, the current version or None)."""
        with self.lock:
            version = self.current()
            if version is None:
                return None, None
            return self.store.get(shelf, key, self.floor or 0), version

    def keep(self, shelf, key, value, *, size, keys, version, seconds):
        """Keep a copy rendered under `version`, unless a change to it was heard since."""
        keys = frozenset((*keys, ALL))
        with self.lock:
            if self.may_keep(version, keys):
                self.store.put(
                    shelf, key, value, size=size, keys=keys, version=version, seconds=seconds
                )

    def lookup_personal(self, shelf, key):
        """(a kept value or None, the current version or None, the count of readers'
        changes heard so far: keep_personal's `mark`)."""
        with self.lock:
            version = self.current()
            if version is None:
                return None, None, None
            return self.store.get(shelf, key, self.floor or 0), version, self.heard_count

    def keep_personal(self, shelf, key, value, *, tags, version, mark, size, seconds):
        """Keep a reader's value loaded after `mark`, unless a change to it was heard since."""
        with self.lock:
            if self.current() is None or mark < self.heard_floor:
                return
            if (self.floor is not None and version < self.floor) or any(
                self.heard_tags.get(tag, 0) > mark for tag in tags
            ):
                return
            self.store.put(
                shelf, key, value, size=size, keys=tags, version=version, seconds=seconds
            )

    def heard_personal(self, tags):
        """Readers' rows changed (committed, or about to be in this process): drop their
        kept values."""
        with self.lock:
            self.heard_count += 1
            if len(self.heard_tags) >= RECENT_KEYS:
                self.heard_tags.clear()
                self.heard_floor = self.heard_count
            for tag in tags:
                self.heard_tags[tag] = self.heard_count
            self.store.purge(tags)

    def _forget_readers(self):
        """Nothing heard about readers can be trusted (a new LISTEN connection)."""
        self.heard_count += 1
        self.heard_floor = self.heard_count
        self.heard_tags.clear()

    def heard(self, version, keys):
        """A committed change: drop the copies it touches."""
        with self.lock:
            if ALL in keys or len(self.purged) >= RECENT_KEYS:
                self.purged.clear()
                self.floor = version
                self.store.clear()
                return
            for key in keys:
                self.purged[key] = version
            self.store.purge(keys)


class Listening(Watch):
    """PostgreSQL: a LISTEN connection per process."""

    hears_readers = True

    def __init__(self, store):
        super().__init__(store)
        self.conn = None
        self.poller = None
        self.version = None
        self.retry_at = 0.0
        self.pid = os.getpid()
        # Within a request, the news is read once, at its first lookup: a request sees
        # the database's changes as of its start (and its own at once), as if it had
        # been a moment earlier, and does not ask the socket again at each of its ten
        # or so lookups. Outside requests (tasks, shells) every lookup asks.
        self.request = threading.local()

    def heard(self, version, keys):
        """A committed change, from the socket or committed by this process. Its own is
        known here at once, without waiting for its NOTIFY to come back: the version is
        the counter's, so every change numbered before it committed first, and pages
        made from now on read them all (a change not yet heard still purges its copies
        when it is)."""
        with self.lock:
            if self.version is not None and self.pid == os.getpid():
                self.version = max(self.version, version)
            super().heard(version, keys)

    def begin_request(self):
        self.request.within, self.request.polled = True, False

    def end_request(self):
        self.request.within, self.request.polled = False, False

    def _connect(self):
        import psycopg

        db = settings.DATABASES["default"]
        # libpq's own options (sslmode, options, service…) as Django passes them; not the
        # ones only Django reads. It must reach PostgreSQL itself (or PgBouncer in session
        # mode): in transaction mode a LISTEN hears nothing.
        django_only = {"pool", "isolation_level", "server_side_binding", "assume_role"}
        options = {k: v for k, v in db.get("OPTIONS", {}).items() if k not in django_only}
        params = {
            **options,
            "dbname": db.get("NAME"),
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "connect_timeout": 2,
            # A server that vanished without closing the connection is noticed in ~10 s.
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 2,
            "application_name": f"hub-pagecache-{os.getpid()}",
        }
        conn = psycopg.connect(
            **{k: v for k, v in params.items() if v is not None}, autocommit=True
        )
        conn.execute(f"LISTEN {CHANNEL}")
        conn.execute(f"LISTEN {memo.CHANNEL}")
        row = conn.execute("SELECT number FROM pagecache_contentversion WHERE id = 1").fetchone()
        version = row[0] if row else 0
        poller = select.poll()
        poller.register(conn.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        # Copies from before this connection may have missed changes: drop them all.
        self.store.clear()
        self.purged.clear()
        self._forget_readers()
        self.conn, self.poller, self.version, self.floor = conn, poller, version, version
        self._drain()  # anything that arrived while the version was read

    def _drain(self):
        # With no time at all to wait, psycopg returns what is buffered without reading
        # the socket, and a connection the server closed looks idle; a millisecond
        # makes it read, and raise. Only called when poll(2) says there is news.
        for note in self.conn.notifies(timeout=DRAIN_SECONDS):
            if note.channel == memo.CHANNEL:
                self.heard_personal(set(note.payload.split()))
                continue
            number, _, keys = note.payload.partition(" ")
            version = int(number)
            self.version = max(self.version, version)
            self.heard(version, set(keys.split()))

    def _broken(self, error):
        import psycopg

        if isinstance(error, psycopg.errors.UndefinedTable):  # `migrate` has yet to make it
            logger.info("Page copies off until the database is migrated")
        else:
            logger.warning("Page copies off until the database answers again: %r", error)
        conn, self.conn, self.poller, self.version = self.conn, None, None, None
        self.store.clear()
        self.retry_at = time.monotonic() + RETRY_SECONDS
        if conn is not None:
            with contextlib.suppress(Exception):  # it is gone either way
                conn.close()

    def current(self):
        with self.lock:
            if os.getpid() != self.pid:  # a forked worker must not share the parent's socket
                self.pid, self.conn, self.poller, self.version = os.getpid(), None, None, None
                self.store.clear()
            try:
                if self.conn is None:
                    if time.monotonic() < self.retry_at:
                        return None
                    self._connect()
                elif not getattr(self.request, "polled", False):
                    if self.poller.poll(0):
                        self._drain()
                        if self.conn.closed:
                            raise ConnectionError("the LISTEN connection closed")
                    self.request.polled = getattr(self.request, "within", False)
            except Exception as error:
                self._broken(error)
                return None
            return self.version

    def close(self):
        with self.lock:
            if self.conn is not None:
                self.conn.close()
            self.conn = self.poller = self.version = None


class Reading(Watch):
    """Other databases: the version read before each copy is served. Changes this
    process committed itself were heard with their keys; any other version drops
    every copy."""

    def __init__(self, store):
        super().__init__(store)
        self.heard_versions = set()
        self.seen = None  # the version last read

    def heard(self, version, keys):
        with self.lock:
            self.heard_versions.add(version)
            super().heard(version, keys)

    def current(self):
        with self.lock:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT number FROM pagecache_contentversion WHERE id = 1")
                    row = cursor.fetchone()
            except Exception as error:
                logger.warning("Page copies off: the content version cannot be read: %r", error)
                self.store.clear()
                return None
            version = row[0] if row else 0
            if self.seen is None:
                self.seen = version
                if self.floor is None or self.floor < version:
                    self.store.clear()  # copies kept before this watch began
                    self.floor = version
            elif version > self.seen:
                unheard = set(range(self.seen + 1, version + 1)) - self.heard_versions
                if unheard:  # another process changed something: which, we do not know
                    self.store.clear()
                    self.purged.clear()
                    self.floor = version
                self.seen = version
                self.heard_versions = {v for v in self.heard_versions if v > version}
            return version


_watch = None
_watch_lock = threading.Lock()


def watch(store):
    """This process's Watch over `store` (made on first use)."""
    global _watch
    if _watch is None:
        with _watch_lock:
            if _watch is None:
                postgres = (
                    settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
                )
                _watch = (Listening if postgres else Reading)(store)
    return _watch


def reset():
    """Forget the watch (tests that change the database settings; a closed LISTEN)."""
    global _watch
    with _watch_lock:
        if isinstance(_watch, Listening):
            _watch.close()
        _watch = None


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    if setting == "DATABASES":
        reset()
