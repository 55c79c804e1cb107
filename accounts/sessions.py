"""Sessions in the database, kept by each app server while they do not change.

Django's database sessions (SESSION_ENGINE), with load() answered from common.memo: the
session row is read once per app server, and kept until a change to it is heard. A
log-out deletes the row, a log-in or any save updates it, and each server hears of it
when the change commits (a trigger on the table; this process at once), so a session
ended anywhere is ended everywhere, whatever Redis is doing. Without the memo (SQLite,
PostgreSQL's LISTEN connection down) every request reads the row, as Django does.
"""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from common import memo


class SessionStore(DatabaseSessionStore):
    def load(self):
        key = self.session_key
        if not key:
            return super().load()

        def row():
            return (
                self.model.objects.filter(session_key=key)
                .values_list("session_data", "expire_date")
                .first()
            )

        found = memo.personal(memo.session_tag(key), "session", row)
        if found is None or found[1] <= timezone.now():
            return super().load()  # Django's answer for a missing or expired session
        return self.decode(found[0])
