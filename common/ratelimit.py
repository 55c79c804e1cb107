"""A small fixed-window rate limit for public forms, counted in the shared cache.

With Redis as the cache every app server counts together, like allauth's limits.
"""

import time

from django.conf import settings
from django.core.cache import cache


def client_ip(request):
    """The visitor's address, looking past the trusted proxies in front of the app."""
    proxies = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.headers.get("X-Forwarded-For", "").split(",") if a]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def too_many(request, scope, limit, seconds):
    """Count this request; True once `limit` requests came from its address in the window."""
    window = int(time.time() // seconds)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > limit
