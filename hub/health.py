"""Checks behind /healthz: can this app server reach its database and cache?

Only the database decides whether this server can serve (200 or 503). The cache is
shared by every app server and the site works without it (hub/cache.py), so a
Redis outage is reported as "degraded" with a 200: a load balancer must not take
every server out of service at once for it.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (value,) = cursor.fetchone()
    return value == 1


def check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    try:
        return cache.get(key) == "1"
    finally:
        cache.delete(key)


CHECKS = {"database": check_database, "cache": check_cache}


def run_checks():
    """Run every check; a check that raises or returns False is reported as an error."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "error"
        except Exception:
            logger.exception("Health check %s failed", name)
            results[name] = "error"
    return results
