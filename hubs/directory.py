"""Which hub a host names: read once per app server while nothing about hubs changes.

`directory()` is every hub with its hosts, kept like the brand (common.memo while the
server hears every committed change, else the shared cache, else one query), so
picking the hub costs a page no query in steady state whatever the number of hubs.
"""

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction

from common import memo

CACHE_KEY = "hubs:directory:v2"  # v2: with languages
CACHE_SECONDS = 600


def split_port(host):
    """("name", "port") of a host as sent ("[::1]:8000" included); port "" if none."""
    name, colon, port = host.rpartition(":")
    if not colon or "]" in port:
        return host, ""
    return name, port


def with_port(address, port):
    """A hub's address as this request reaches it: an address stored without a port
    (hubs answer on any port then) takes the request's own, unless a default one."""
    if not port or port in ("80", "443") or split_port(address)[1]:
        return address
    return f"{address}:{port}"


def address_for(hub, request):
    """The host to write in a link to `hub` from this request (canonical addresses)."""
    return with_port(hub.address, split_port(request.get_host())[1])


def surrogate_key(hub_id):
    """The key every page of a hub carries, and changes to that hub alone purge."""
    return f"hub-{hub_id}"


def base_url(hub=None):
    """Where links to `hub` (the hub being served by default) point outside a request
    (emails a task writes): DJANGO_BASE_URL's scheme, and its port for an address
    stored without one, on the hub's address."""
    hub = hub or current()
    base = urlsplit(settings.HUB_BASE_URL)
    address = with_port(hub.address, split_port(base.netloc)[1])
    return f"{base.scheme}://{address}{base.path.rstrip('/')}"


@dataclass(frozen=True)
class HubValues:
    """A hub as pages see it: plain values, cheap to keep and to pickle."""

    id: int | None
    slug: str
    name: str
    address: str  # the host its canonical links use
    is_default: bool = False
    languages: tuple = ()  # the codes it offers, in order; () for every language

    @property
    def offered(self):
        """The language codes readers may choose here (in order)."""
        return self.languages or tuple(code for code, _name in settings.LANGUAGES)

    def language_for(self, code):
        """The language to serve a reader who asks for `code`: it, when offered, else
        the install's default language, else the hub's first."""
        offered = self.offered
        if code in offered:
            return code
        return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in offered else offered[0]


@dataclass(frozen=True)
class Directory:
    hubs: tuple[HubValues, ...]
    hosts: dict = field(default_factory=dict)  # host: hub id; kept values are never changed

    def find(self, host):
        """(hub, host to redirect to or None) for a request's host, or None. A hub's host
        stored without a port answers on any port. A host no hub names is served by the
        only hub of a single-hub install, and by none once there are two."""
        host = host.lower()
        name, port = split_port(host)
        hub_id = self.hosts.get(host, self.hosts.get(name))
        if hub_id is None:
            return (self.hubs[0], None) if len(self.hubs) == 1 else None
        hub = self.by_id(hub_id)
        address = with_port(hub.address, port)
        return hub, (None if address == host else address)

    def by_id(self, hub_id):
        return next(hub for hub in self.hubs if hub.id == hub_id)

    def speaking_for(self, hub_id):
        """The hub a task writes for: `hub_id`'s values, or the default hub's while
        that hub has no address (links must lead somewhere)."""
        return next((hub for hub in self.hubs if hub.id == hub_id), self.default)

    @property
    def default(self):
        return next((hub for hub in self.hubs if hub.is_default), self.hubs[0])


def _stand_in():
    """Before the first migration has made the default hub."""
    from hubs.models import base_host

    hub = HubValues(None, "hub", settings.HUB_SITE_NAME, base_host(), True)
    return Directory((hub,))


def directory():
    return memo.content("hubs", {"site"}, _stored)


def _stored():
    cached = cache.get(CACHE_KEY)
    if cached is None:
        try:
            cached = _read()
        except DatabaseError:
            # `migrate` has yet to add a column of hubs (a migration working out a new
            # row's default hub): the hubs as the first migrations made them, not kept.
            return _read(columns=FIRST_COLUMNS)
        cache.set(CACHE_KEY, cached, timeout=CACHE_SECONDS)
    return cached


FIRST_COLUMNS = ("hub__slug", "hub__name", "hub__is_default")  # hubs.0001


def _read(columns=(*FIRST_COLUMNS, "hub__languages")):
    """Every hub with its hosts, in one query (a hub is served only on its hosts)."""
    from hubs.models import HubHost, language_codes

    with transaction.atomic():  # a failed read leaves the caller's transaction usable
        named = list(
            HubHost.objects.values("hub_id", "host", *columns).order_by(
                "-hub__is_default", "hub_id", "-is_primary"
            )
        )
    if not named:
        return _stand_in()
    hubs = {}
    for row in named:
        if row["hub_id"] not in hubs:  # its address first (is_primary sorts first)
            hubs[row["hub_id"]] = HubValues(
                row["hub_id"],
                row["hub__slug"],
                row["hub__name"],
                row["host"],
                row["hub__is_default"],
                tuple(language_codes(row.get("hub__languages", ""))),
            )
    return Directory(tuple(hubs.values()), {row["host"]: row["hub_id"] for row in named})


def forget(**kwargs):
    """A signal receiver: a hub or host changed. Cleared now and after the commit."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def default():
    return directory().default


# The hub this request (or task) speaks for: set by the middleware around each request,
# by a task around its work (`activated`); the default hub where nothing set one.
_active = ContextVar("hub", default=None)


def current():
    hub = _active.get()
    return hub if hub is not None else default()


@contextlib.contextmanager
def activated(hub):
    token = _active.set(hub)
    try:
        yield hub
    finally:
        _active.reset(token)
