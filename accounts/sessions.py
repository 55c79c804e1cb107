"""Sessions in the database, kept by each app server while they do not change.

Django's database sessions (SESSION_ENGINE) on accounts.models.Session, which names the
reader a session logs in as (Django's documented custom session model), with load()
answered from common.memo: the session row and its reader's row are read together, in
one query, once per app server, and kept until a change to either is heard. A log-out
deletes the row, a log-in or any save updates it, and each server hears of it when the
change commits (a trigger on the table; this process at once), so a session ended
anywhere is ended everywhere, whatever Redis is doing. On PostgreSQL the same query
brings the reader's bookmarks too: a reader's first page on a server costs one query
for all three (and one more for their quiz scores on an article with a quiz). Without
the memo (SQLite, PostgreSQL's LISTEN connection down) every request reads the row, as
Django does.
"""

import copy
import functools

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connection
from django.utils import timezone

from accounts import backends
from accounts.context_processors import BOOKMARKS
from accounts.models import Bookmark, Session
from common import memo


@functools.cache
def _session_sql():
    """PostgreSQL: the session row, its reader's row (the columns accounts.backends
    keeps) and their bookmarked articles' ids, in one statement written once from the
    models' meta. The ORM would compile the same query on every reader's first request
    at several times the cost of running it."""
    session, user, bookmark = Session._meta, get_user_model()._meta, Bookmark._meta

    def column(meta, name):
        return f'"{meta.get_field(name).column}"'

    user_columns = ", ".join(f'u."{name}"' for name in backends.user_columns())
    session_user = column(session, "user")
    # Names from the models' meta; the key is a parameter.
    return (
        f"SELECT s.{column(session, 'session_data')}, "  # noqa: S608
        f"s.{column(session, 'expire_date')}, s.{session_user}, {user_columns}, "
        f'ARRAY(SELECT b.{column(bookmark, "article")} FROM "{bookmark.db_table}" b '
        f"WHERE b.{column(bookmark, 'user')} = s.{session_user}) "
        f'FROM "{session.db_table}" s LEFT OUTER JOIN "{user.db_table}" u '
        f'ON u."{user.pk.column}" = s.{session_user} '
        f"WHERE s.{column(session, 'session_key')} = %s"
    )


def _user_id(data):
    try:
        return int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        return Session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = _user_id(data)
        return session

    def load(self):
        key = self.session_key
        if not key:
            return super().load()

        def row():
            postgres = connection.vendor == "postgresql"
            if postgres:
                with connection.cursor() as cursor:
                    cursor.execute(_session_sql(), [key])
                    found = cursor.fetchone()
            else:
                columns = [f"user__{field}" for field in backends.user_fields()]
                found = (
                    self.model.objects.filter(session_key=key)
                    .values_list("session_data", "expire_date", "user_id", *columns)
                    .first()
                )
            if found is None:
                return None
            data, expiry, user_id, *user = found
            if user_id is not None:
                # What accounts.backends and the bookmark buttons would read next.
                if postgres:
                    memo.also(memo.reader_tag(user_id), BOOKMARKS, frozenset(user.pop()))
                memo.also(memo.reader_tag(user_id), backends.USER, tuple(user))
            # Decoded once (the signature check is most of a hit's session cost); a
            # request gets its own copy to change.
            return self.decode(data), expiry

        found = memo.personal(memo.session_tag(key), "session", row)
        if found is None or found[1] <= timezone.now():
            return super().load()  # Django's answer for a missing or expired session
        return copy.deepcopy(found[0])
