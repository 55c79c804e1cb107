"""Values an app server keeps in memory while nothing they were made from has changed.

A logged-in reader's page needs their session, their account and a few of their rows
(bookmarks, quiz attempts), and every page the site's own settings (the brand, the
funders, the cookie groups). Reading them on every request is most of a page's cost;
keeping them is only safe if every server hears, at once, of every committed change to
them. The serving layer (pagecache) can: on PostgreSQL each app server LISTENs for
changes, and it installs itself here at start-up (`install`). Without it, or whenever
it cannot be sure (no LISTEN connection: SQLite, PostgreSQL unreachable, the page cache
switched off), every call loads afresh.

- `content(name, keys, load)`: a site-wide value, dropped by a committed change to any of
  `keys` (the surrogate keys of pagecache/CONTRACT.md: "site", "article-12"…).
- `personal(tag, name, load)`: one reader's value, dropped by any change to a row that
  names them; `load` may hand over other values its query read with `also()`. `tag` is
  `reader_tag(user_id)` or `session_tag(session_key)`. The rows that name a reader are
  declared with `follow_rows` (in an AppConfig.ready()): each save or delete through the
  ORM drops the reader's values in this process at once, and on PostgreSQL a trigger on
  the table (made by `migrate`) tells every server when the change commits, whatever
  made it (a queryset's update(), raw SQL, another program).

`load` returning None is never kept. Values are shared by every request of the process:
callers must not change them (give frozensets, tuples, rows).
"""

import hashlib

READER = "reader"
SESSION = "session"

_backend = None
_followed = []  # (model, column, kind)


def install(backend):
    """Called by the serving layer: `backend` has keeps(), content(), personal(), also()
    and forget()."""
    global _backend
    _backend = backend


def keeps():
    """Whether values are kept now: a caller that would load more to keep than it needs
    this time (every row, to pick some) asks only for what it needs when they are not."""
    return _backend is not None and _backend.keeps()


def content(name, keys, load):
    if _backend is None:
        return load()
    return _backend.content(name, frozenset(keys), load)


def personal(tag, name, load):
    if _backend is None:
        return load()
    return _backend.personal(tag, name, load)


def also(tag, name, value):
    """Inside a personal() load: another reader's value that the same query read, kept
    as if personal(tag, name, ...) had loaded it at the same moment (a change to `tag`
    heard since the load began drops it, as it would the loaded value). The loaded value
    is then dropped by a change to `tag` too: values read together are read again
    together."""
    if _backend is not None and value is not None:
        _backend.also(tag, name, value)


def forget(tags):
    """Drop this process's values for `tags` now (the change's trigger tells the others)."""
    if _backend is not None and tags:
        _backend.forget(frozenset(tags))


def reader_tag(user_id):
    return f"{READER}-{user_id}"


def session_tag(session_key):
    """Session keys are credentials: only their hash travels in notifications."""
    return f"{SESSION}-{hashlib.sha256(session_key.encode()).hexdigest()}"


def tag_for(kind, value):
    return session_tag(value) if kind == SESSION else reader_tag(value)


def follow_rows(model, column, kind=READER):
    """Changes to `model`'s rows change the values of the reader named by `column`
    (a user id, or for kind SESSION a session key)."""
    from django.db.models.signals import post_delete, post_save

    if kind not in (READER, SESSION):
        raise ValueError(f"Unknown kind {kind!r}")
    if any(m is model and c == column for m, c, _ in _followed):
        return  # ready() may run twice
    _followed.append((model, column, kind))

    def changed(sender, instance, **kwargs):
        value = getattr(instance, column, None)
        if value is not None:
            forget({tag_for(kind, value)})

    for signal in (post_save, post_delete):
        signal.connect(changed, sender=model, weak=False, dispatch_uid=f"memo-{model}-{signal}")


def followed():
    return list(_followed)


CHANNEL = "hub_readers"

# Runs after each change to a followed row, in its transaction: PostgreSQL delivers the
# NOTIFY to every listening server when, and only when, the change commits.
TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION hub_reader_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    tags text[] := '{}';
    value text;
    row_ jsonb;
BEGIN
    FOREACH row_ IN ARRAY ARRAY[
        CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
        CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END
    ] LOOP
        value := row_ ->> TG_ARGV[0];
        IF value IS NOT NULL THEN
            IF TG_ARGV[1] = 'session' THEN
                tags := tags || ('session-' || encode(sha256(convert_to(value, 'UTF8')), 'hex'));
            ELSE
                tags := tags || ('reader-' || value);
            END IF;
        END IF;
    END LOOP;
    IF array_length(tags, 1) > 0 THEN
        PERFORM pg_notify('%(channel)s', array_to_string(tags, ' '));
    END IF;
    RETURN NULL;
END
$$
"""


def install_triggers(using="default", **kwargs):
    """A post_migrate receiver: on PostgreSQL, a trigger on each followed table."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql" or not _followed:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(TRIGGER_FUNCTION % {"channel": CHANNEL})
        for model, column, kind in _followed:
            table = quote(model._meta.db_table)
            db_column = model._meta.get_field(column).column
            cursor.execute(f"DROP TRIGGER IF EXISTS hub_reader_changed ON {table}")
            cursor.execute(
                f"CREATE TRIGGER hub_reader_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION hub_reader_changed('{db_column}', '{kind}')"
            )
