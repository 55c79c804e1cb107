"""Redis as a cache that the site survives losing.

Django's RedisCache raises when Redis is down, and many pages read the cache
(consent groups, reports, rate limits; sessions and pages do not live there). This
backend turns a Redis failure into a cache miss instead: reads return their default,
writes do nothing, and pages are built from the database. Rate limits count nothing until Redis is
back (they fail open), which is logged.

After a failure it stops trying for RETRY_SECONDS, so an outage costs one failed
connection per process every few seconds rather than one per cache call.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        # A Redis host that stops answering must not hold a request for long.
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._down_until = 0.0

    def _guard(self, operation, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            result = operation(*args, **kwargs)
        except self._lib_errors() as exc:
            if self._down_until == 0.0:
                logger.error("Redis cache unavailable, serving without it: %s", exc)
            self._down_until = time.monotonic() + RETRY_SECONDS
            return default
        if self._down_until:
            logger.warning("Redis cache is back")
            self._down_until = 0.0
        return result

    @staticmethod
    def _lib_errors():
        import redis

        return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

    def add(self, *args, **kwargs):
        # Fails open, like set(): callers that use add() as a lock (allauth's rate
        # limits) must go on, not wait for a lock nobody can take.
        return self._guard(super().add, True, *args, **kwargs)

    def get(self, key, default=None, version=None):
        return self._guard(super().get, default, key, default, version)

    def set(self, *args, **kwargs):
        return self._guard(super().set, None, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guard(super().touch, False, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guard(super().delete, False, *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._guard(super().get_many, {}, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guard(super().has_key, False, *args, **kwargs)

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._guard(super().incr, missing, key, delta, version)
        if value is missing:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return value

    def set_many(self, *args, **kwargs):
        return self._guard(super().set_many, [], *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guard(super().delete_many, None, *args, **kwargs)

    def clear(self):
        return self._guard(super().clear, False)
