"""Copies of shared pages in the app server's memory, kept exact by Redis.

Reading a stored page from Redis costs a round trip, most of what a hit costs. So
each process also keeps the pages it served lately, and serves a copy only while it
knows the shared generation (hub.page_cache.GENERATION_KEY) has not changed since
the copy was stored. It knows because Redis tells it: one connection per process
reads the generation with CLIENT TRACKING on (RESP3), and Redis pushes an
invalidation message on that connection as soon as any server changes the key (it
queues it while carrying out the change; a process that changed the key itself
forgets its copies at once). Before serving a copy the process looks for such a
message with a non-blocking read, and at least every PING_SECONDS it asks Redis for
an answer, so a connection that died silently is noticed. A message, a closed
connection or any error forgets the generation and every copy; the next request
reads Redis as before and the generation is read (and tracked) again.

So a copy is never older than the shared cache itself: an edit saved on any server
reaches every server's next request, as it did without copies. A copy also ends at
the expiry its page was stored with. Only a Redis cache can be watched this way;
with any other cache backend (tests, `make run`) there are no copies.
"""

import contextlib
import logging
import os
import pickle
import select
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.dispatch import receiver

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5  # after Redis failed, as hub.cache does
PING_SECONDS = 10  # the longest the tracking connection goes without Redis answering
MEMO_BYTES = 32 * 1024 * 1024  # per process, for the pages' content


class GenerationWatch:
    """The shared generation, known without a round trip while Redis says it holds."""

    def __init__(self, url, key):
        import redis

        self._errors = (redis.exceptions.RedisError, OSError)
        self._refused = redis.exceptions.ResponseError  # a server without RESP3 or tracking
        self._pool = redis.ConnectionPool.from_url(
            url,
            protocol=3,
            socket_timeout=0.5,
            socket_connect_timeout=0.5,
            socket_keepalive=True,
            client_name=f"hub-page-memo-{os.getpid()}",  # as CLIENT LIST shows it
        )
        self.key = key
        self._lock = threading.Lock()
        self._connection = None
        self._socket = None
        self._poll = None  # polls the connection's socket: is there a message?
        self._generation = None
        self._heard_at = 0.0  # when Redis last answered on the tracking connection
        self._down_until = 0.0
        self.pages = OrderedDict()  # page key -> (stored page, its size), the newest last
        self._bytes = 0

    def current(self):
        """The generation, or None when it cannot be known now (Redis is down)."""
        with self._lock:
            return self._known()

    def _known(self):
        try:
            return self._read_generation()
        except self._refused as exc:
            logger.warning("Page copies are off: Redis refused tracking (%s)", exc)
            self._forget(disconnect=True)
            self._down_until = float("inf")
            return None
        except self._errors as exc:
            logger.warning("Page copies are off for %ss: %s", RETRY_SECONDS, exc)
            self._forget(disconnect=True)
            self._down_until = time.monotonic() + RETRY_SECONDS
            return None

    def _read_generation(self):
        connection = self._connection
        if connection is None:
            if time.monotonic() < self._down_until:
                return None
            connection = self._connect()
        if connection._sock is not self._socket:  # redis-py reconnected: not tracking
            raise ConnectionError("the tracking connection was reset")
        # One poll(2) when nothing happened, which is nearly always; after a read the
        # parser's buffer is drained too, so a message is never left there unseen.
        if self._poll.poll(0):
            self._drain(connection)
        now = time.monotonic()
        if now - self._heard_at > PING_SECONDS:
            # A connection that died without a word (a failover, a dropped NAT entry)
            # would carry no message: ask, and trust copies only if Redis answers.
            connection.send_command("PING")
            connection.read_response()
            self._drain(connection)
            self._heard_at = now
        if self._generation is None:
            connection.send_command("GET", self.key)
            raw = connection.read_response()  # messages before the reply: older changes
            # Written by cache.set, pickled as Django's RedisSerializer does.
            self._generation = None if raw is None else pickle.loads(raw)  # noqa: S301
            self._drain(connection)  # messages after it: newer changes, which forget it
        return self._generation

    def _drain(self, connection):
        while connection.can_read(timeout=0):  # raises if Redis closed the connection
            connection.read_response(push_request=True)  # calls _invalidated

    def _connect(self):
        connection = self._pool.connection_class(**self._pool.connection_kwargs)
        connection.connect()
        connection._parser.set_invalidation_push_handler(self._invalidated)
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()  # OK, or raises ResponseError
        self._heard_at = time.monotonic()
        self._socket = connection._sock
        self._poll = select.poll()
        self._poll.register(self._socket, select.POLLIN | select.POLLPRI)
        self._connection = connection
        return connection

    def _invalidated(self, message):
        # ["invalidate", [keys]] when the key changed, expired or was evicted, or
        # ["invalidate", None] when the database was flushed.
        self._forget()

    def _forget(self, disconnect=False):
        self._generation = None
        self.pages.clear()
        self._bytes = 0
        if disconnect and self._connection is not None:
            with contextlib.suppress(self._errors):
                self._connection.disconnect()
            self._connection = self._poll = None

    def forked(self):
        """In a new child process: the parent's connection and copies are not its own."""
        self._lock = threading.Lock()
        self._connection = self._poll = None
        self._pool.connection_kwargs["client_name"] = f"hub-page-memo-{os.getpid()}"
        self._forget()

    def close(self):
        with self._lock:
            self._forget(disconnect=True)

    def forget(self):
        """This process changed the generation itself: its copies end now, without
        waiting for Redis's message (which may reach its socket a moment after the reply)."""
        with self._lock:
            self._forget()

    def get(self, key):
        """The copy of a stored page, if it is of the current generation and unexpired."""
        with self._lock:
            generation = self._known()
            copy = self.pages.get(key)
            if copy is None or generation is None:
                return None
            stored = copy[0]
            if stored["generation"] != generation or stored["expires"] <= time.time():
                self._drop(key)
                return None
            self.pages.move_to_end(key)
            return stored

    def keep(self, key, stored, size):
        """Keep a copy of a page just read from (or written to) the shared cache; `size`
        is what it holds in bytes, which MEMO_BYTES bounds."""
        with self._lock:
            if self._generation is None or stored["generation"] != self._generation:
                return  # not known to be current: a copy could outlive an edit
            self._drop(key)
            if size > MEMO_BYTES // 4:
                return
            while self._bytes + size > MEMO_BYTES:
                _, (_, oldest) = self.pages.popitem(last=False)
                self._bytes -= oldest
            self.pages[key] = (stored, size)
            self._bytes += size

    def _drop(self, key):
        copy = self.pages.pop(key, None)
        if copy is not None:
            self._bytes -= copy[1]


_watch = None


def _after_fork():
    if _watch:
        _watch.forked()


os.register_at_fork(after_in_child=_after_fork)


@receiver(setting_changed)
def _settings_changed(setting, **kwargs):
    global _watch
    if setting in ("CACHES", "HUB_PAGE_MEMO"):
        if _watch:
            _watch.close()
        _watch = None


def watch():
    """This process's GenerationWatch, or None when the cache is not Redis."""
    global _watch
    if _watch is None:
        from hub.cache import ResilientRedisCache
        from hub.page_cache import GENERATION_KEY

        shared = caches["default"]
        if settings.HUB_PAGE_MEMO and isinstance(shared, ResilientRedisCache):
            # The first server is the one Django writes to (the others are replicas).
            _watch = GenerationWatch(shared._servers[0], shared.make_key(GENERATION_KEY))
        else:
            _watch = False
    return _watch or None
