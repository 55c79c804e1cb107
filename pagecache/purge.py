"""A change purges the pages that show it, once its transaction commits.

Content models are watched (the project lists them with the surrogate keys an instance
touches, in hub.apps). A save or delete, in its own transaction:
- bumps the content version (pagecache.models.ContentVersion), and on PostgreSQL sends
  a NOTIFY with the new version and the keys, which every app server hears when, and
  only when, the change commits (pagecache.invalidation);
- once committed, this process drops its own copies at once, and each HTTP cache in
  front of the app servers (settings.HUB_PURGE_URLS, Varnish with deploy/hub.vcl) is
  sent one PURGE for all the keys the transaction touched. A proxy that cannot be
  reached is tried again by the task worker, with growing delays.
"""

import logging
import threading
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from common.tasks import next_attempt, task
from pagecache import local
from pagecache.invalidation import CHANNEL
from pagecache.models import ContentVersion
from pagecache.store import ALL

logger = logging.getLogger(__name__)

PURGE_TIMEOUT = 1.0
RETRY_DELAYS = [
    timedelta(seconds=5),
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
]

_pending = threading.local()


def changed(keys):
    """Content showing `keys` changed in the current transaction (or just now)."""
    keys = set(keys) or {ALL}
    version = _bump()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, f"{version} {' '.join(keys)}"])
    state = _state()
    state["keys"] |= keys
    state["versions"].add(version)
    # One callback per change, so a rolled-back savepoint loses none of the others; the
    # first to run after the commit purges everything gathered, the rest find nothing.
    transaction.on_commit(_committed)


def forget_pending():
    """Drop what this thread gathered for a commit that will not come (tests roll back)."""
    _pending.__dict__.pop("state", None)


def _state():
    if not hasattr(_pending, "state"):
        _pending.state = {"keys": set(), "versions": set()}
    return _pending.state


def _bump():
    table = ContentVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET number = number + 1 WHERE id = 1 RETURNING number")  # noqa: S608
        row = cursor.fetchone()
    if row is None:  # a database without the row (a flushed test database)
        ContentVersion.objects.get_or_create(pk=1)
        return _bump()
    return row[0]


def _committed():
    state = _state()
    keys, versions = state["keys"], state["versions"]
    if not keys:
        return
    _pending.state = {"keys": set(), "versions": set()}
    watch = local.watch()
    for version in sorted(versions):
        watch.heard(version, keys)
    if settings.HUB_PURGE_URLS and not send_purges(sorted(keys)):
        purge_proxies.enqueue(sorted(keys))


def send_purges(keys):
    """PURGE `keys` at every proxy; True when all of them answered."""
    done = True
    for url in settings.HUB_PURGE_URLS:
        request = urllib.request.Request(  # noqa: S310 (the operator's own proxy URLs)
            url, method="PURGE", headers={"xkey-purge": " ".join(keys)}
        )
        try:
            with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT) as answer:  # noqa: S310
                answer.read()
        except OSError as error:
            logger.warning("Could not purge %s at %s: %r", " ".join(keys), url, error)
            done = False
    return done


@task(takes_context=True)
def purge_proxies(context, keys, attempt=1):
    """Purge keys a proxy missed; tried again later until every proxy answers."""
    if send_purges(keys):
        return {"purged": keys}
    retry = next_attempt(context, attempt, RETRY_DELAYS, keys)
    if retry is None:
        logger.error(
            "Gave up purging %s after %d attempts: the proxies' copies end with their TTL.",
            " ".join(keys),
            attempt,
        )
        raise RuntimeError("proxies unreachable")
    return {"retry": retry.id}


def watch_model(model, keys_of):
    """Purge `keys_of(instance)` whenever an instance of `model` is saved or deleted
    (or, for its many-to-many fields, relinked)."""

    def saved_or_deleted(sender, instance, **kwargs):
        changed(keys_of(instance))

    def relinked(sender, instance, action, **kwargs):
        if action.startswith("post_"):
            changed(keys_of(instance) if isinstance(instance, model) else {ALL})

    label = model._meta.label
    for signal in (post_save, post_delete):
        signal.connect(
            saved_or_deleted, sender=model, weak=False, dispatch_uid=f"purge-{label}-{signal}"
        )
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(
            relinked,
            sender=field.remote_field.through,
            weak=False,
            dispatch_uid=f"purge-{label}-{field.name}",
        )
