"""The outcomes report's counts (quizzes.models.OutcomeCount), kept as readers answer.

Every figure of the report (quizzes.report) follows from counts of attempts and answers
that share a few small values, so the counts are kept, not the report: each attempt
adds one to its rows in its own transaction (record), and a report adds up a few
hundred rows instead of a million answers. A row's cell is the hub where the reader
took the quiz (a pair's where its pre-test was), the quarter in which they started it
(in the site's time zone) and either all readers (dimension
"") or one profession, specialty or country (the reader's when they started: a pair's
post-test copies its pre-test's), so that each breakdown the report offers reads only
its own rows, however many combinations of the three readers bring: every attempt is
counted four times, once in each. Its kind and key:

- "pre", "post": a pre-test or post-test with this score (after);
- "pair": a post-test with its pre-test: score before, score after;
- "confidence": a pair with both confidence answers: before, after;
- "intent": a post-test's answer on intent to change practice (after);
- "objective": a pair's sub-score on objective `item` rose, fell or held (after: + − 0);
- "answer_pre", "answer_post": an answer to question `item`: the choices picked (after)
  and, on a pair's post-test, those picked before (before);
- "staff", "demo": an attempt left out (by staff; on demo content), by quarter only
  (all readers).

All but the last two count only attempts the report counts (Attempt.counted()).
recount() works the same rows out from the attempts and answers themselves: the
migration that made the table, `manage.py rebuild_outcome_counts` and
refresh_objective_changes use it.
"""

import datetime
from collections import Counter

from django.db import connection, transaction
from django.db.models import Count, DateField, F
from django.db.models.functions import TruncQuarter
from django.utils import timezone

PRE, POST = "before", "after"  # Attempt.Stage, without importing the models here
ATTEMPT_KINDS = ("pre", "post", "pair", "confidence", "intent", "objective", "staff", "demo")
ANSWER_KINDS = ("answer_pre", "answer_post")
STRATA = ("profession", "specialty", "country")
KEY = ("dimension", "value", "kind", "item", "before", "after")  # within its quiz and quarter


def quarter_of(moment):
    """The first day of the quarter of an aware datetime, in the site's time zone."""
    day = timezone.localtime(moment).date()
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def views(key):
    """The rows a (profession, specialty, country, kind, item, before, after) key adds to:
    all readers, and the reader's profession, specialty and country."""
    cell, rest = key[:3], key[3:]
    if rest[0] in ("staff", "demo"):
        return [("", "", *rest)]
    return [("", "", *rest), *((dimension, value, *rest) for dimension, value in zip(
        STRATA, cell, strict=True
    ))]  # fmt: skip


def attempt_keys(attempt, answers):
    """The (profession, specialty, country, kind, item, before, after) keys of one attempt."""
    if attempt.by_staff or attempt.is_demo:
        return [("", "", "", "staff" if attempt.by_staff else "demo", 0, "", "")]
    cell = (attempt.profession or "", attempt.specialty or "", str(attempt.country or ""))
    keys = []
    if attempt.stage == PRE:
        keys.append(("pre", 0, "", str(attempt.score)))
    else:
        keys.append(("post", 0, "", str(attempt.score)))
        if attempt.intent:
            keys.append(("intent", 0, "", attempt.intent))
        if attempt.score_before is not None:
            keys.append(("pair", 0, str(attempt.score_before), str(attempt.score)))
            if attempt.confidence is not None and attempt.confidence_before is not None:
                keys.append(
                    ("confidence", 0, str(attempt.confidence_before), str(attempt.confidence))
                )
            keys.extend(("objective", *_objective_change(part)) for part in _parts(attempt))
    kind = "answer_pre" if attempt.stage == PRE else "answer_post"
    keys.extend((kind, a.question_id, a.picked_before or "", a.picked or "") for a in answers)
    return [(*cell, *key) for key in keys]


def _parts(attempt):
    return [part for part in (attempt.objective_changes or "").split(";") if part]


def _objective_change(part):
    objective_id, sign = part.split(":")
    return int(objective_id), "", sign


def record(attempt, answers):
    """Add one attempt and its answers to the counts, inside the attempt's transaction.

    One statement: each row is inserted, or if it exists raised by what this attempt
    adds (n = n + excluded.n, the database's own increment on the committed row, so
    attempts recorded at the same moment lose nothing). Rows go in the order of their
    keys, so two attempts that share rows lock them in the same order and one waits
    for the other instead of deadlocking. PostgreSQL and SQLite both speak it.
    """
    from quizzes.models import OutcomeCount

    increments = Counter(view for key in attempt_keys(attempt, answers) for view in views(key))
    quarter = quarter_of(attempt.started_at)
    quote = connection.ops.quote_name
    columns = ["quiz_id", "hub_id", "quarter", *KEY, "n"]
    key_columns = ", ".join(quote(c) for c in ["quiz_id", "hub_id", "quarter", *KEY])
    table = quote(OutcomeCount._meta.db_table)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    names, values = ", ".join(quote(c) for c in columns), ", ".join([row] * len(increments))
    # Names quoted from the model; values passed as parameters.
    sql = f"INSERT INTO {table} ({names}) VALUES {values}"  # noqa: S608
    sql += f" ON CONFLICT ({key_columns}) DO UPDATE SET n = {table}.n + excluded.n"
    params = [
        value
        for key in sorted(increments)
        for value in (attempt.quiz_id, attempt.hub_id, quarter, *key, increments[key])
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def recount(quiz_id, attempt_model=None, answer_model=None, count_model=None):
    """Count a quiz's rows again from its attempts and answers, exactly, replacing them;
    returns how many rows it wrote.

    On PostgreSQL new attempts wait until this commits (a SHARE lock on attempts), so
    none is counted twice or missed. The models may be a migration's historical ones.
    """
    if attempt_model is None:
        from quizzes.models import Answer as answer_model
        from quizzes.models import Attempt as attempt_model
        from quizzes.models import OutcomeCount as count_model
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = connection.ops.quote_name(attempt_model._meta.db_table)
                cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
        counts = Counter()
        for (hub, quarter, *key), n in _count(quiz_id, attempt_model, answer_model).items():
            for view in views(key):
                counts[(hub, quarter, *view)] += n
        count_model.objects.filter(quiz_id=quiz_id).delete()
        rows = (dict(zip(("hub_id", "quarter", *KEY), row, strict=True)) for row in counts)
        count_model.objects.bulk_create(
            (count_model(quiz_id=quiz_id, n=counts[tuple(r.values())], **r) for r in rows),
            batch_size=2000,
        )
    return len(counts)


def _count(quiz_id, attempt_model, answer_model):
    """{(hub, quarter, profession, specialty, country, kind, item, before, after): n}."""
    quarter = TruncQuarter("started_at", output_field=DateField())
    everyone = attempt_model.objects.filter(quiz_id=quiz_id)
    counted = everyone.filter(by_staff=False, is_demo=False)
    posts = counted.filter(stage=POST)
    pairs = posts.filter(score_before__isnull=False)
    counts = Counter()

    def add(queryset, kind, key, strata=STRATA):
        rows = (
            queryset.values("hub_id", *strata, *key, quarter=quarter)
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            for item, before, after in key_parts(kind, row):
                cell = tuple(str(row[s] or "") for s in strata) or ("", "", "")
                place = (row["hub_id"], row["quarter"])
                counts[(*place, *cell, kind, item, before, after)] += row["n"]

    add(counted.filter(stage=PRE), "pre", ["score"])
    add(posts, "post", ["score"])
    add(posts.exclude(intent=""), "intent", ["intent"])
    add(pairs, "pair", ["score_before", "score"])
    add(
        pairs.filter(confidence__isnull=False, confidence_before__isnull=False),
        "confidence",
        ["confidence_before", "confidence"],
    )
    add(pairs.exclude(objective_changes=""), "objective", ["objective_changes"])
    add(everyone.filter(by_staff=True), "staff", [], strata=())
    add(everyone.filter(by_staff=False, is_demo=True), "demo", [], strata=())

    answers = answer_model.objects.filter(
        attempt__quiz_id=quiz_id, attempt__by_staff=False, attempt__is_demo=False
    )
    rows = (
        answers.values("question_id", "picked", "picked_before", stage=F("attempt__stage"),
                       profession=F("attempt__profession"), specialty=F("attempt__specialty"),
                       country=F("attempt__country"), hub_id=F("attempt__hub_id"),
                       quarter=TruncQuarter("attempt__started_at", output_field=DateField()))
        .annotate(n=Count("id"))
        .order_by()
    )  # fmt: skip
    for row in rows:
        kind = "answer_pre" if row["stage"] == PRE else "answer_post"
        cell = tuple(str(row[s] or "") for s in STRATA)
        key = (row["question_id"], row["picked_before"] or "", row["picked"] or "")
        counts[(row["hub_id"], row["quarter"], *cell, kind, *key)] += row["n"]
    return counts


def key_parts(kind, row):
    """The (item, before, after) keys of one grouped row of attempts (objective: several)."""
    if kind in ("pre", "post"):
        return [(0, "", str(row["score"]))]
    if kind == "intent":
        return [(0, "", row["intent"])]
    if kind == "pair":
        return [(0, str(row["score_before"]), str(row["score"]))]
    if kind == "confidence":
        return [(0, str(row["confidence_before"]), str(row["confidence"]))]
    if kind == "objective":
        parts = [p for p in row["objective_changes"].split(";") if p]
        return [_objective_change(part) for part in parts]
    return [(0, "", "")]
