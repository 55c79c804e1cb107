"""What readers learned: a quiz's outcomes, aggregated in the database.

The figures a CME reviewer asks for: the funnel from readers to matched pairs; for
readers who took both tests (matched pairs) each question's % correct before and
after, its 2×2 table and McNemar's test; per learning objective; the paired change
in score with Wilcoxon's and the t test and an effect size; confidence and intent;
which choices were picked. Every figure can be broken down by the profession,
specialty or country the reader had when starting the quiz, for all time or one
calendar quarter; what may be shown is decided by quizzes.disclosure, for every
request alike.

A post-test carries its pre-test's score and answers (see
quizzes.attempts.record_attempt), so each figure is a GROUP BY over one table: about
ten queries whatever the number of attempts (bench/quiz_report.py times 100,000).
Reports are cached until the quiz's next attempt.

A pair belongs to its pre-test's quarter and strata (Attempt.started_at and the strata
copied onto the post-test), so windows and groups hold whole pairs.
"""

import datetime
import string
import uuid
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import reach
from common.numbers import percent
from quizzes.disclosure import ALL, plan_from_counts
from quizzes.figures import (
    STRATA,
    ChoiceInfo,
    ChoiceResult,
    Group,
    ObjectiveInfo,
    ObjectiveResult,
    QuestionInfo,
    QuestionResult,
    QuizReport,
    next_quarter,
    picked_ids,
    quarter_start,
    shown,
    stratum_label,
)
from quizzes.models import Answer, Attempt

CACHE_SECONDS = 60 * 60
PRE, POST = Attempt.Stage.PRE, Attempt.Stage.POST


# -- Building it -------------------------------------------------------------------


def quiz_report(quiz, period=None, by=None):
    """The report for all time or one quarter, from the cache until the next attempt."""
    key = f"quizzes:report:v3:{quiz.pk}:{_version(quiz.pk)}:{period}:{by}"
    report = cache.get(key)
    if report is None:
        report = build_report(quiz, period, by)
        cache.set(key, report, CACHE_SECONDS)
    return report


def disclosure_plan(quiz, by=None):
    """What may be shown of this quiz's figures (quizzes.disclosure), from the cache.

    Counted over every quarter and group in one GROUP BY, whatever was asked for, so
    that every request withholds the same cells.
    """
    key = f"quizzes:plan:v1:{quiz.pk}:{_version(quiz.pk)}:{by}"
    plan = cache.get(key)
    if plan is None:
        plan = plan_from_counts(_cell_counts(quiz, by))
        cache.set(key, plan, CACHE_SECONDS)
    return plan


def _cell_counts(quiz, by):
    """{(quarter, stratum or ALL): {family: n}} over the quiz's counted attempts."""
    quarter = TruncQuarter("started_at", output_field=DateField())
    dims = [by] if by else []
    rows = (
        Attempt.objects.filter(quiz=quiz)
        .counted()
        .values("stage", *dims, quarter=quarter)
        .annotate(
            n=Count("id"),
            pairs=Count("id", filter=Q(score_before__isnull=False)),
            confidence=Count(
                "id", filter=Q(confidence__isnull=False, confidence_before__isnull=False,
                               score_before__isnull=False)
            ),
            intent=Count("id", filter=~Q(intent="")),
        )
        .order_by()
    )  # fmt: skip
    counts = {}
    for row in rows:
        cell = counts.setdefault((row["quarter"], row[by] if by else ALL), dict.fromkeys(
            ("readers", "before", "after", "pairs", "confidence", "intent"), 0
        ))  # fmt: skip
        if row["stage"] == PRE:
            cell["before"] += row["n"]
            cell["readers"] += row["n"]
        else:
            cell["after"] += row["n"]
            cell["pairs"] += row["pairs"]
            cell["confidence"] += row["confidence"]
            cell["intent"] += row["intent"]
            cell["readers"] += row["n"] - row["pairs"]  # a pair's reader counted once
    return counts


def quarters(quiz):
    """The quarters in which readers started this quiz, newest first (the filter's choices)."""
    return sorted(disclosure_plan(quiz).periods, reverse=True)


def forget_reports(quiz_id):
    """Every cached report of a quiz is out of date (a new attempt, a changed question)."""
    cache.set(_version_key(quiz_id), uuid.uuid4().hex, None)


def _version_key(quiz_id):
    return f"quizzes:report-version:{quiz_id}"


def _version(quiz_id):
    version = cache.get(_version_key(quiz_id))
    if version is None:
        version = uuid.uuid4().hex
        cache.add(_version_key(quiz_id), version, None)
        version = cache.get(_version_key(quiz_id), version)
    return version


def _bounds(period):
    """Aware datetimes for a whole quarter in the site's time zone: [start, next start)."""
    if period is None:
        return None, None
    tz = timezone.get_current_timezone()
    start = quarter_start(period)
    return (
        datetime.datetime.combine(start, datetime.time(), tz),
        datetime.datetime.combine(next_quarter(start), datetime.time(), tz),
    )


def _in_range(prefix, low, high):
    """Attempts by when their reader started the quiz: a pair's post-test goes with its pre-test."""
    condition = Q()
    if low:
        condition &= Q(**{f"{prefix}started_at__gte": low})
    if high:
        condition &= Q(**{f"{prefix}started_at__lt": high})
    return condition


def quiz_layout(quiz):
    """The quiz's questions, choices and objectives as the report numbers them."""
    objectives = [
        ObjectiveInfo(pk=o.pk, number=n, text=o.text)
        for n, o in enumerate(quiz.article.learning_objectives.all(), start=1)
    ]
    questions = [
        QuestionInfo(
            pk=q.pk,
            number=n,
            text=q.text,
            objective_id=q.objective_id,
            measures=q.measures,
            choices=[
                ChoiceInfo(c.pk, string.ascii_uppercase[i % 26], c.text, c.is_correct)
                for i, c in enumerate(q.choices.all())
            ],
        )
        for n, q in enumerate(quiz.questions.prefetch_related("choices"), start=1)
    ]
    return questions, objectives


def _empty_group(key, label, questions, objectives):
    tied = {o.pk for o in objectives}
    groups = [
        ObjectiveResult(info=o, questions=[q for q in questions if q.objective_id == o.pk])
        for o in objectives
    ]
    untied = [q for q in questions if q.objective_id not in tied]
    if untied:
        groups.append(ObjectiveResult(info=None, questions=untied))
    return Group(
        key=key,
        label=label,
        questions=[
            QuestionResult(info=q, choices=[ChoiceResult(c) for c in q.choices]) for q in questions
        ],
        objectives=groups,
    )


@contextmanager
def _reporting():
    """One transaction for the report; on PostgreSQL with room to hash its groups in memory.

    The default work_mem (4 MB) makes PostgreSQL sort a million answers on disk to
    group them; 64 MB for this transaction only lets it hash them, twice as fast.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute("SET LOCAL jit = off")
        yield


def build_report(quiz, period=None, by=None):
    with _reporting():
        return _build_report(quiz, period, by)


def _build_report(quiz, period, by):
    if by not in STRATA:
        by = None
    period = quarter_start(period) if period else None
    plan = disclosure_plan(quiz, by)
    questions, objectives = quiz_layout(quiz)
    low, high = _bounds(period)
    everyone = Attempt.objects.filter(quiz=quiz).filter(_in_range("", low, high))
    attempts = everyone.counted()
    dims = [by] if by else []
    groups = {}

    def group(row):
        key = row.get(by, "") if by else None
        if key not in groups:
            label = stratum_label(by, key) if by else _("All readers")
            groups[key] = _empty_group(key, label, questions, objectives)
        return groups[key]

    for row in attempts.values("stage", *dims).annotate(n=Count("id"), total=Sum("score")):
        g = group(row)
        if row["stage"] == PRE:
            g.attempts_before, g.score_sum_before = row["n"], row["total"]
        else:
            g.attempts_after, g.score_sum_after = row["n"], row["total"]

    posts = attempts.filter(stage=POST)
    paired = posts.filter(score_before__isnull=False)
    for row in paired.values(*dims, "score_before", "score").annotate(n=Count("id")):
        group(row).score_table[(row["score_before"], row["score"])] = row["n"]
    with_confidence = paired.filter(confidence__isnull=False, confidence_before__isnull=False)
    for row in with_confidence.values(*dims, "confidence_before", "confidence").annotate(
        n=Count("id")
    ):
        group(row).confidence_table[(row["confidence_before"], row["confidence"])] = row["n"]
    for row in posts.exclude(intent="").values(*dims, "intent").annotate(n=Count("id")):
        group(row).intents[row["intent"]] = row["n"]

    _tally_answers(quiz, low, high, by, questions, group)
    if any(q.objective_id for q in questions):
        _tally_objectives(attempts, by, group)
    for g in groups.values():
        _pool_objectives(g)

    # Each reader's attempts share one cell, so its readers are its pre-tests plus
    # the post-tests without one.
    for g in groups.values():
        g.readers = g.attempts_before + g.attempts_after - g.pairs
        if by:
            g.withhold(plan.withheld(period, g.key))

    overall = _empty_group(None, _("All readers"), questions, objectives)
    for g in groups.values():
        overall.merge(g)
    overall.readers = overall.attempts_before + overall.attempts_after - overall.pairs
    overall.withhold(plan.withheld(period))
    excluded = everyone.exclude(by_staff=False, is_demo=False).aggregate(
        staff=Count("id", filter=Q(by_staff=True)),
        demo=Count("id", filter=Q(by_staff=False, is_demo=True)),
    )
    strata = sorted(groups.values(), key=lambda g: (-g.readers, str(g.label))) if by else []
    is_demo = quiz.is_demo or quiz.article.is_demo
    since, until = (period, next_quarter(period) - datetime.timedelta(days=1)) if period else (
        None, None
    )  # fmt: skip
    return QuizReport(
        quiz_id=quiz.pk,
        questions=questions,
        objectives=objectives,
        by=by,
        period=period,
        overall=overall,
        strata=strata,
        article_reader_days=0 if is_demo else reach.readers(quiz.article, since, until),
        excluded_staff=excluded["staff"],
        excluded_demo=excluded["demo"],
        has_confidence=bool(quiz.confidence_question) or bool(overall.confidence_table),
        has_intent=quiz.asks_intent or bool(overall.intents),
        title=quiz.title,
        article_title=quiz.article.title,
        is_demo=is_demo,
        generated_at=timezone.now(),
    )


def _tally_answers(quiz, low, high, by, questions, group):
    """Per question and choice: unmatched shares, the matched 2×2 table, picks.

    Grouped by the picks alone (right or wrong follows from them and the key), which
    keeps the groups few enough for PostgreSQL to hash rather than sort.
    """
    by_pk = {q.pk: q for q in questions}
    dims = {"stratum": F(f"attempt__{by}")} if by else {}
    answers = Answer.objects.filter(
        attempt__quiz=quiz, attempt__by_staff=False, attempt__is_demo=False
    ).filter(_in_range("attempt__", low, high))
    rows = answers.values(
        "question_id", "picked", "picked_before", stage=F("attempt__stage"), **dims
    ).annotate(n=Count("id"))
    for row in rows:
        info = by_pk.get(row["question_id"])
        if info is None:
            continue
        g = group({by: row["stratum"]} if by else {})
        result = g.questions[info.number - 1]
        n, picked = row["n"], picked_ids(row["picked"])
        right = row["picked"] == info.correct_key
        choices = [c for c in result.choices if c.choice.pk in picked]
        if row["stage"] == PRE:
            result.all_before += n
            result.all_before_correct += n if right else 0
            for c in choices:
                c.all_before += n
            continue
        result.all_after += n
        result.all_after_correct += n if right else 0
        for c in choices:
            c.all_after += n
        if not row["picked_before"]:
            continue
        right_before = row["picked_before"] == info.correct_key
        cell = ("right" if right_before else "wrong") + "_" + ("right" if right else "wrong")
        setattr(result, cell, getattr(result, cell) + n)
        before = picked_ids(row["picked_before"])
        for c in result.choices:
            c.before += n if c.choice.pk in before else 0
            c.after += n if c.choice.pk in picked else 0


def _tally_objectives(attempts, by, group):
    """Per objective: readers whose sub-score rose, fell or held, and its matched answers.

    Each pair's signs are stored with its post-test (Attempt.objective_changes), so
    this groups a few distinct values instead of every answer.
    """
    pairs = attempts.filter(stage=POST, score_before__isnull=False).exclude(objective_changes="")
    for row in pairs.values(*([by] if by else []), "objective_changes").annotate(n=Count("id")):
        g = group(row)
        results = {o.info.pk: o for o in g.objectives if o.info}
        for part in row["objective_changes"].split(";"):
            objective_id, sign = part.split(":")
            result = results.get(int(objective_id))
            if result is None:
                continue
            name = {"+": "improved", "-": "worsened"}.get(sign, "unchanged")
            setattr(result, name, getattr(result, name) + row["n"])


def _pool_objectives(group):
    """An objective's matched answers: the 2×2 tables of its questions, added up."""
    for objective in group.objectives:
        numbers = {q.number for q in objective.questions}
        asked = [q for q in group.questions if q.info.number in numbers]
        objective.answers = sum(q.pairs for q in asked)
        objective.correct_before = sum(q.correct_before for q in asked)
        objective.correct_after = sum(q.correct_after for q in asked)


def peer_shares(quiz):
    """{question id: % of readers right after reading}, for questions with ≥ 5 such readers.

    What a reader sees next to their own answers; cached with the quiz's reports.
    """
    key = f"quizzes:peers:{quiz.pk}:{_version(quiz.pk)}"
    shares = cache.get(key)
    if shares is None:
        rows = (
            Answer.objects.filter(
                attempt__quiz=quiz,
                attempt__stage=POST,
                attempt__by_staff=False,
                attempt__is_demo=False,
            )
            .values("question_id")
            .annotate(n=Count("id"), right=Count("id", filter=Q(is_correct=True)))
        )
        shares = {
            row["question_id"]: percent(row["right"], row["n"]) for row in rows if shown(row["n"])
        }
        cache.set(key, shares, CACHE_SECONDS)
    return shares
