"""A change purges the pages that show it, once its transaction commits.

Content models are watched (the project lists them with the surrogate keys an instance
touches, in hub.apps). A save or delete, in its own transaction:
- bumps the content version (pagecache.models.ContentVersion), and on PostgreSQL sends
  a NOTIFY with the new version and the keys, which every app server hears when, and
  only when, the change commits (pagecache.invalidation);
- once committed, this process drops its own copies at once, and each HTTP cache in
  front of the app servers (settings.HUB_PURGE_URLS, Varnish with deploy/hub.vcl) is
  sent one PURGE for all the keys the transaction touched, with the version it
  committed: the proxy keeps no page made under an older version after that
  (pagecache.middleware), so a fetch that began before the commit cannot land a stale
  copy. A proxy that cannot be reached is tried again by the worker, with growing
  delays; and the worker sends each PURGE once more when any fetch begun before it has
  timed out, for a proxy that lost the version (restarted) in between.
"""

import functools
import logging
import threading
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from common.tasks import next_attempt, task
from pagecache import local
from pagecache.invalidation import CHANNEL
from pagecache.middleware import VERSION_HEADER
from pagecache.models import ContentVersion
from pagecache.store import ALL

logger = logging.getLogger(__name__)

PURGE_TIMEOUT = 1.0
# Longer than a proxy waits for a page (first_byte_timeout in deploy/hub.vcl).
AGAIN_AFTER = timedelta(seconds=35)
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
    # Values this process keeps for pages (common.memo: the brand, the funders…) go at
    # once, so that the rest of this transaction, and this process, read the change;
    # pages and other processes wait for the commit.
    local.STORE.purge(keys, shelves=("memo",))
    version = _bump()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, f"{version} {' '.join(keys)}"])
    # This change's own callback (Django drops it if the change rolls back) tells this
    # process's copies; the keys for the proxies are gathered for the whole commit: the
    # first callback after it sends them all, the rest find nothing left to send.
    _pending_keys().update(keys)
    transaction.on_commit(functools.partial(_committed, version, frozenset(keys)), robust=True)


def forget_pending():
    """Drop what this thread gathered for a commit that will not come (tests roll back)."""
    _pending.__dict__.pop("keys", None)


def _pending_keys():
    if not hasattr(_pending, "keys"):
        _pending.keys = set()
    return _pending.keys


def _bump():
    table = ContentVersion._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET number = number + 1 WHERE id = 1 RETURNING number")  # noqa: S608
        row = cursor.fetchone()
    if row is None:  # a database without the row (a flushed test database)
        ContentVersion.objects.get_or_create(pk=1)
        return _bump()
    return row[0]


def _committed(version, keys):
    local.watch().heard(version, keys)
    pending = _pending_keys()
    if not pending or not settings.HUB_PURGE_URLS:
        pending.clear()
        return
    keys = sorted(pending)  # with keys of rolled-back changes, if any: a harmless extra
    pending.clear()
    # The version as committed (this transaction's last change, or a later one's): not
    # one bumped in a savepoint that rolled back, which no page would ever reach.
    try:
        latest = ContentVersion.objects.filter(pk=1).values_list("number", flat=True).first()
    except DatabaseError:  # the change is committed: purge with what this one knows
        latest = None
    if latest is None:
        latest = version
    if not send_purges(keys, latest):
        purge_proxies.enqueue(keys, latest)
    if purge_proxies.get_backend().supports_defer:
        purge_proxies.using(run_after=timezone.now() + AGAIN_AFTER).enqueue(keys, latest)


def send_purges(keys, version=None):
    """PURGE `keys` at every proxy, telling it the content `version` committed with
    them; True when all of them answered."""
    headers = {"xkey-purge": " ".join(keys)}
    if version is not None:
        headers[VERSION_HEADER] = str(version)
    done = True
    for url in settings.HUB_PURGE_URLS:
        request = urllib.request.Request(  # noqa: S310 (the operator's own proxy URLs)
            url, method="PURGE", headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT) as answer:  # noqa: S310
                answer.read()
        except Exception as error:  # the data is committed: never fail the request for it
            logger.warning("Could not purge %s at %s: %r", " ".join(keys), url, error)
            done = False
    return done


@task(takes_context=True)
def purge_proxies(context, keys, version=None, attempt=1):
    """Purge keys a proxy missed; tried again later until every proxy answers."""
    if send_purges(keys, version):
        return {"purged": keys}
    retry = next_attempt(context, attempt, RETRY_DELAYS, keys, version)
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
