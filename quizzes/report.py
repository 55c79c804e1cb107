"""What readers learned: a quiz's outcomes, added up from counts kept as readers answer.

The figures a CME reviewer asks for: the funnel from readers to matched pairs; for
readers who took both tests (matched pairs) each question's % correct before and
after, its 2×2 table and McNemar's test; per learning objective; the paired change
in score with Wilcoxon's and the t test and an effect size; confidence and intent;
which choices were picked. Every figure can be broken down by the profession,
specialty or country the reader had when starting the quiz, for all time or one
calendar quarter; what may be shown is decided by quizzes.disclosure, for every
request alike.

A post-test carries its pre-test's score and answers (see
quizzes.attempts.record_attempt), and each attempt adds itself to the quiz's counts
(quizzes.tallies) as it is recorded, so a report sums a few hundred rows of counts
per quarter and stratum, in a fixed number of queries, instead of grouping every
answer (bench/quiz_report.py times 100,000 attempts). Reports are cached until the
quiz's next attempt.

A pair belongs to its pre-test's quarter and strata (Attempt.started_at and the strata
copied onto the post-test), so windows and groups hold whole pairs.

A quiz shared by several hubs has results on each and overall: `hubs` (ids) counts
only the attempts taken on those hubs (an editor's), None every hub (a superuser's
overall view). What is withheld is decided within the same hubs' counts.
"""

import datetime
import string
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, Sum
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
from quizzes.models import AnswersExport, Attempt, OutcomeCount, picked_key
from quizzes.tallies import ANSWER_KINDS, ATTEMPT_KINDS

CACHE_SECONDS = 60 * 60
PRE, POST = Attempt.Stage.PRE, Attempt.Stage.POST


# -- Building it -------------------------------------------------------------------


def quiz_report(quiz, period=None, by=None, hubs=None):
    """The report for all time or one quarter, from the cache until the next attempt."""
    key = f"quizzes:report:v5:{quiz.pk}:{_version(quiz.pk)}:{period}:{by}:{_scope(hubs)}"
    report = cache.get(key)
    if report is None:
        report = build_report(quiz, period, by, hubs)
        cache.set(key, report, CACHE_SECONDS)
    return report


def _scope(hubs):
    return AnswersExport.scope(hubs) or "all"


def _counts(quiz, hubs):
    counts = OutcomeCount.objects.filter(quiz=quiz)
    return counts if hubs is None else counts.filter(hub_id__in=hubs)


def disclosure_plan(quiz, by=None, hubs=None):
    """What may be shown of this quiz's figures (quizzes.disclosure), from the cache.

    Counted over every quarter and group in one GROUP BY, whatever was asked for, so
    that every request withholds the same cells.
    """
    key = f"quizzes:plan:v3:{quiz.pk}:{_version(quiz.pk)}:{by}:{_scope(hubs)}"
    plan = cache.get(key)
    if plan is None:
        plan = plan_from_counts(_cell_counts(quiz, by, hubs))
        cache.set(key, plan, CACHE_SECONDS)
    return plan


def _cell_counts(quiz, by, hubs=None):
    """{(quarter, stratum or ALL): {family: n}} over the quiz's counted attempts."""
    rows = (
        _counts(quiz, hubs).filter(dimension=by or "",
                                   kind__in=("pre", "post", "pair", "confidence", "intent"))
        .values("quarter", "kind", "value")
        .annotate(total=Sum("n"))
        .order_by()
    )  # fmt: skip
    counts = {}
    for row in rows:
        cell = counts.setdefault((row["quarter"], row["value"] if by else ALL), dict.fromkeys(
            ("readers", "before", "after", "pairs", "confidence", "intent"), 0
        ))  # fmt: skip
        n = row["total"]
        if row["kind"] == "pre":
            cell["before"] += n
            cell["readers"] += n
        elif row["kind"] == "post":
            cell["after"] += n
            cell["readers"] += n
        elif row["kind"] == "pair":
            cell["pairs"] += n
            cell["readers"] -= n  # a pair's reader counted once
        else:
            cell[row["kind"]] += n
    return counts


def quarters(quiz, hubs=None):
    """The quarters in which readers started this quiz, newest first (the filter's choices)."""
    return sorted(disclosure_plan(quiz, hubs=hubs).periods, reverse=True)


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


def build_report(quiz, period=None, by=None, hubs=None):
    with transaction.atomic():  # one snapshot for every count
        return _build_report(quiz, period, by, hubs)


def _build_report(quiz, period, by, hubs):
    if by not in STRATA:
        by = None
    period = quarter_start(period) if period else None
    version = _version(quiz.pk)  # before counting: a newer attempt makes a newer version
    plan = disclosure_plan(quiz, by, hubs)
    questions, objectives = quiz_layout(quiz)
    counts = _counts(quiz, hubs)
    if period:
        counts = counts.filter(quarter=period)
    groups = {}

    def group(key):
        if key not in groups:
            label = stratum_label(by, key) if by else _("All readers")
            groups[key] = _empty_group(key, label, questions, objectives)
        return groups[key]

    excluded = {"staff": 0, "demo": 0}
    by_objective = any(q.objective_id for q in questions)
    left_out = Q(dimension="", kind__in=("staff", "demo"))  # counted for all readers only
    rows = (
        counts.filter(Q(dimension=by or "", kind__in=ATTEMPT_KINDS) | left_out)
        .values("kind", "item", "before", "after", "value")
        .annotate(total=Sum("n"))
        .order_by()
    )
    for row in rows:
        kind, n = row["kind"], row["total"]
        if kind in excluded:
            excluded[kind] += n
            continue
        g = group(row["value"] if by else None)
        if kind == "pre":
            g.attempts_before += n
            g.score_sum_before += int(row["after"]) * n
        elif kind == "post":
            g.attempts_after += n
            g.score_sum_after += int(row["after"]) * n
        elif kind in ("pair", "confidence"):
            table = g.score_table if kind == "pair" else g.confidence_table
            key = (int(row["before"]), int(row["after"]))
            table[key] = table.get(key, 0) + n
        elif kind == "intent":
            g.intents[row["after"]] = g.intents.get(row["after"], 0) + n
        elif kind == "objective" and by_objective:
            _tally_objective(g, row["item"], row["after"], n)

    answers = (
        counts.filter(dimension=by or "", kind__in=ANSWER_KINDS)
        .values("kind", "item", "before", "after", "value")
        .annotate(total=Sum("n"))
        .order_by()
    )
    _tally_answers(answers, by, questions, group)
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
    strata = sorted(groups.values(), key=lambda g: (-g.readers, str(g.label))) if by else []
    for g in (overall, *strata):
        g.work_out()
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
        article_reader_days=0 if is_demo else reach.readers(quiz.article, since, until, hubs),
        excluded_staff=excluded["staff"],
        excluded_demo=excluded["demo"],
        has_confidence=bool(quiz.confidence_question) or bool(overall.confidence_table),
        has_intent=quiz.asks_intent or bool(overall.intents),
        title=quiz.title,
        article_title=quiz.article.title,
        is_demo=is_demo,
        generated_at=timezone.now(),
        version=version,
    )


def _tally_answers(rows, by, questions, group):
    """Per question and choice: unmatched shares, the matched 2×2 table, picks.

    Counted by the picks alone (right or wrong follows from them and the key).
    """
    by_pk = {q.pk: q for q in questions}
    for row in rows:
        info = by_pk.get(row["item"])
        if info is None:
            continue
        result = group(row["value"] if by else None).questions[info.number - 1]
        n, picked = row["total"], picked_ids(row["after"])
        right = row["after"] == info.correct_key
        choices = [c for c in result.choices if c.choice.pk in picked]
        if row["kind"] == "answer_pre":
            result.all_before += n
            result.all_before_correct += n if right else 0
            for c in choices:
                c.all_before += n
            continue
        result.all_after += n
        result.all_after_correct += n if right else 0
        for c in choices:
            c.all_after += n
        if not row["before"]:
            continue
        right_before = row["before"] == info.correct_key
        cell = ("right" if right_before else "wrong") + "_" + ("right" if right else "wrong")
        setattr(result, cell, getattr(result, cell) + n)
        before = picked_ids(row["before"])
        for c in result.choices:
            c.before += n if c.choice.pk in before else 0
            c.after += n if c.choice.pk in picked else 0


def _tally_objective(group, objective_id, sign, n):
    """Readers whose sub-score on an objective rose (+), fell (−) or held (0).

    Each pair's signs are stored with its post-test (Attempt.objective_changes) and
    counted by quizzes.tallies.
    """
    result = next((o for o in group.objectives if o.info and o.info.pk == objective_id), None)
    if result is None:
        return
    name = {"+": "improved", "-": "worsened"}.get(sign, "unchanged")
    setattr(result, name, getattr(result, name) + n)


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
        # The questions and choices the reader's page has fetched already, if it has.
        keys = {
            q.pk: picked_key(c.pk for c in q.choices.all() if c.is_correct)
            for q in quiz.questions.all()
        }
        rows = (
            OutcomeCount.objects.filter(quiz=quiz, dimension="", kind="answer_post")
            .values("item", "after")
            .annotate(total=Sum("n"))
            .order_by()
        )
        answered, right = {}, {}
        for row in rows:
            answered[row["item"]] = answered.get(row["item"], 0) + row["total"]
            if row["after"] == keys.get(row["item"]):
                right[row["item"]] = right.get(row["item"], 0) + row["total"]
        shares = {pk: percent(right.get(pk, 0), n) for pk, n in answered.items() if shown(n)}
        cache.set(key, shares, CACHE_SECONDS)
    return shares
