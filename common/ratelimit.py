"""A small fixed-window rate limit for public forms, counted in the shared cache.

With Redis as the cache every app server counts together, like allauth's limits, and
visitors are told apart the same way allauth tells them apart.
"""

import ipaddress
import time

from allauth import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from django.core.cache import cache


def client_ip(request):
    """The visitor's address as allauth sees it: past the trusted proxies or from the
    trusted client-IP header (ALLAUTH_TRUSTED_PROXY_COUNT, ALLAUTH_TRUSTED_CLIENT_IP_HEADER).
    """
    return get_adapter(request).get_client_ip(request)


def _bucket(ip):
    """One IPv4 address, or one IPv6 network: a single host owns a whole /64."""
    address = ipaddress.ip_address(ip)
    if address.version == 4:
        return str(address)
    prefix = allauth_settings.RATE_LIMIT_IPV6_PREFIX
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def too_many(request, scope, limit, seconds):
    """Count this request; True once `limit` requests came from its address in the window."""
    window = int(time.time() // seconds)
    key = f"ratelimit:{scope}:{_bucket(client_ip(request))}:{window}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > limit
