"""What readers learned: a quiz's outcomes, aggregated in the database.

The figures a CME reviewer asks for: the funnel from readers to matched pairs; for
readers who took both tests (matched pairs) each question's % correct before and
after, its 2×2 table and McNemar's test; per learning objective; the paired change
in score with Wilcoxon's and the t test and an effect size; confidence and intent;
which choices were picked. Every figure can be broken down by the profession,
specialty or country the reader had when answering, and any figure resting on fewer
than MIN_READERS readers is suppressed.

A post-test carries its pre-test's score and answers (see record_attempt), so each
figure is a GROUP BY over one table: about ten queries whatever the number of
attempts (bench/quiz_report.py times 100,000). Reports are cached until the quiz's
next attempt.
"""

import datetime
import string
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from articles import reach
from articles.vocabulary import Profession, Specialty
from common.numbers import percent
from quizzes import stats
from quizzes.models import Answer, Attempt, Intent

MIN_READERS = 5
CACHE_SECONDS = 60 * 60
STRATA = {
    "profession": _("Profession"),
    "specialty": _("Specialty"),
    "country": _("Country"),
}
PRE, POST = Attempt.Stage.PRE, Attempt.Stage.POST


def stratum_label(dimension, code):
    if not code:
        return _("Not given")
    if dimension == "profession":
        return Profession(code).label if code in Profession.values else code
    if dimension == "specialty":
        return Specialty(code).label if code in Specialty.values else code
    return countries.name(code) or code


def shown(n):
    """A figure on n readers may be shown: enough readers that none can be singled out."""
    return n >= MIN_READERS


# -- What the report holds ---------------------------------------------------------


@dataclass
class ChoiceInfo:
    pk: int
    letter: str
    text: str
    is_correct: bool


@dataclass
class QuestionInfo:
    pk: int
    number: int
    text: str
    objective_id: int | None
    choices: list

    @property
    def correct_key(self):
        """The stored pick of exactly the correct choices (see quizzes.models.picked_key)."""
        return ",".join(str(c.pk) for c in sorted(self.choices, key=lambda c: c.pk) if c.is_correct)

    def letters(self, picked):
        """A stored pick ("12,15") as the choices' letters ("A;C")."""
        ids = _ids(picked)
        return ";".join(c.letter for c in self.choices if c.pk in ids)


@dataclass
class ObjectiveInfo:
    pk: int
    number: int
    text: str


@dataclass
class ChoiceResult:
    choice: ChoiceInfo
    before: int = 0  # matched pairs who picked it before reading
    after: int = 0  # … and after reading
    all_before: int = 0  # every pre-test (unmatched)
    all_after: int = 0  # every post-test (unmatched)


@dataclass
class QuestionResult:
    info: QuestionInfo
    all_before: int = 0  # unmatched: every pre-test
    all_before_correct: int = 0
    all_after: int = 0  # unmatched: every post-test
    all_after_correct: int = 0
    right_right: int = 0  # matched pairs' 2×2 table
    right_wrong: int = 0
    wrong_right: int = 0
    wrong_wrong: int = 0
    choices: list = field(default_factory=list)

    @property
    def pairs(self):
        return self.right_right + self.right_wrong + self.wrong_right + self.wrong_wrong

    @property
    def correct_before(self):
        return self.right_right + self.right_wrong

    @property
    def correct_after(self):
        return self.right_right + self.wrong_right

    @property
    def share_before(self):
        return percent(self.correct_before, self.pairs)

    @property
    def share_after(self):
        return percent(self.correct_after, self.pairs)

    @property
    def change_points(self):
        if not self.pairs:
            return None
        return percent(self.correct_after - self.correct_before, self.pairs)

    @property
    def all_share_before(self):
        return percent(self.all_before_correct, self.all_before)

    @property
    def all_share_after(self):
        return percent(self.all_after_correct, self.all_after)

    @property
    def mcnemar(self):
        return stats.mcnemar(self.right_wrong, self.wrong_right)

    @property
    def matched_shown(self):
        return shown(self.pairs)


@dataclass
class ObjectiveResult:
    info: ObjectiveInfo | None  # None: questions not tied to an objective
    questions: list
    answers: int = 0  # matched answers (pairs × questions)
    correct_before: int = 0
    correct_after: int = 0
    improved: int = 0  # readers whose sub-score on this objective rose
    worsened: int = 0
    unchanged: int = 0

    @property
    def readers(self):
        return self.improved + self.worsened + self.unchanged

    @property
    def share_before(self):
        return percent(self.correct_before, self.answers)

    @property
    def share_after(self):
        return percent(self.correct_after, self.answers)

    @property
    def sign_test_p(self):
        return stats.sign_test(self.improved, self.worsened)

    @property
    def is_shown(self):
        return shown(self.readers)


@dataclass
class Group:
    """All readers, or those of one profession, specialty or country."""

    key: str | None
    label: str
    questions: list
    objectives: list
    readers: int = 0
    attempts_before: int = 0
    attempts_after: int = 0
    score_sum_before: int = 0
    score_sum_after: int = 0
    score_table: dict = field(default_factory=dict)  # {(before, after): pairs}
    confidence_table: dict = field(default_factory=dict)
    intents: dict = field(default_factory=dict)

    @property
    def suppressed(self):
        return not shown(self.readers)

    @property
    def pairs(self):
        return sum(self.score_table.values())

    @property
    def mean_before(self):
        if not self.attempts_before:
            return None
        return Fraction(self.score_sum_before, self.attempts_before)

    @property
    def mean_after(self):
        if not self.attempts_after:
            return None
        return Fraction(self.score_sum_after, self.attempts_after)

    @property
    def paired(self):
        return stats.paired_change(self.score_table)

    @property
    def confidence(self):
        return stats.paired_change(self.confidence_table)

    @property
    def confidence_pairs(self):
        return sum(self.confidence_table.values())

    @property
    def question_bars(self):
        return [(f"Q{q.info.number}", [q.share_before, q.share_after]) for q in self.questions]

    @property
    def intent_rows(self):
        total = sum(self.intents.values())
        counts = [(choice.label, self.intents.get(choice.value, 0)) for choice in Intent]
        return [(label, n, percent(n, total)) for label, n in counts]

    @property
    def intent_answers(self):
        return sum(self.intents.values())

    def merge(self, other):
        """Add another group's counts to this one (the whole from its strata)."""
        self.attempts_before += other.attempts_before
        self.attempts_after += other.attempts_after
        self.score_sum_before += other.score_sum_before
        self.score_sum_after += other.score_sum_after
        for mine, theirs in (
            (self.score_table, other.score_table),
            (self.confidence_table, other.confidence_table),
            (self.intents, other.intents),
        ):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        for mine, theirs in zip(self.questions, other.questions, strict=True):
            for name in ("all_before", "all_before_correct", "all_after", "all_after_correct",
                         "right_right", "right_wrong", "wrong_right", "wrong_wrong"):  # fmt: skip
                setattr(mine, name, getattr(mine, name) + getattr(theirs, name))
            for a, b in zip(mine.choices, theirs.choices, strict=True):
                a.before += b.before
                a.after += b.after
                a.all_before += b.all_before
                a.all_after += b.all_after
        for mine, theirs in zip(self.objectives, other.objectives, strict=True):
            for name in ("answers", "correct_before", "correct_after", "improved",
                         "worsened", "unchanged"):  # fmt: skip
                setattr(mine, name, getattr(mine, name) + getattr(theirs, name))


@dataclass
class QuizReport:
    quiz_id: int
    questions: list
    objectives: list
    by: str | None
    since: datetime.date | None
    until: datetime.date | None
    overall: Group
    strata: list  # Groups, one per stratum value, when broken down
    article_readers: int  # reader-days: unique declared readers per day, summed
    excluded_staff: int
    excluded_demo: int
    has_confidence: bool
    has_intent: bool

    @property
    def groups(self):
        return [self.overall, *self.strata]

    @property
    def funnel(self):
        """Readers of the article, then pre-tests, post-tests and matched pairs."""
        steps = [
            (_("Readers of the article (unique per day)"), self.article_readers),
            (_("Took the quiz before reading"), self.overall.attempts_before),
            (_("Took the quiz after reading"), self.overall.attempts_after),
            (_("Took both (matched pairs)"), self.overall.pairs),
        ]
        top = max((n for _label, n in steps), default=0)
        return [(label, n, percent(n, top)) for label, n in steps]

    @property
    def funnel_bars(self):
        return [(str(n), [share]) for n, (_label, _count, share) in enumerate(self.funnel, 1)]

    @property
    def by_label(self):
        return STRATA.get(self.by)


# -- Building it -------------------------------------------------------------------


def quiz_report(quiz, since=None, until=None, by=None):
    """The report, from the cache while no new attempt has been recorded."""
    key = f"quizzes:report:{quiz.pk}:{_version(quiz.pk)}:{since}:{until}:{by}"
    report = cache.get(key)
    if report is None:
        report = build_report(quiz, since, until, by)
        cache.set(key, report, CACHE_SECONDS)
    return report


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


def _bounds(since, until):
    """Aware datetimes for whole days in the site's time zone: [since, until + 1 day)."""
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(since, datetime.time(), tz) if since else None
    high = (
        datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time(), tz)
        if until
        else None
    )
    return low, high


def _in_range(prefix, low, high):
    condition = Q()
    if low:
        condition &= Q(**{f"{prefix}created_at__gte": low})
    if high:
        condition &= Q(**{f"{prefix}created_at__lt": high})
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


def build_report(quiz, since=None, until=None, by=None):
    with _reporting():
        return _build_report(quiz, since, until, by)


def _build_report(quiz, since, until, by):
    if by not in STRATA:
        by = None
    questions, objectives = quiz_layout(quiz)
    low, high = _bounds(since, until)
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

    if by:
        readers = {
            row[by]: row["n"]
            for row in attempts.values(by).annotate(n=Count("participant", distinct=True))
        }
        for key, g in groups.items():
            g.readers = readers.get(key, 0)

    overall = _empty_group(None, _("All readers"), questions, objectives)
    for g in groups.values():
        overall.merge(g)
    overall.readers = attempts.aggregate(n=Count("participant", distinct=True))["n"]
    excluded = everyone.exclude(by_staff=False, is_demo=False).aggregate(
        staff=Count("id", filter=Q(by_staff=True)),
        demo=Count("id", filter=Q(by_staff=False, is_demo=True)),
    )
    strata = sorted(groups.values(), key=lambda g: (-g.readers, str(g.label))) if by else []
    return QuizReport(
        quiz_id=quiz.pk,
        questions=questions,
        objectives=objectives,
        by=by,
        since=since,
        until=until,
        overall=overall,
        strata=strata,
        article_readers=reach.readers(quiz.article, since, until),
        excluded_staff=excluded["staff"],
        excluded_demo=excluded["demo"],
        has_confidence=bool(quiz.confidence_question) or bool(overall.confidence_table),
        has_intent=quiz.asks_intent or bool(overall.intents),
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
        n, picked = row["n"], _ids(row["picked"])
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
        before = _ids(row["picked_before"])
        for c in result.choices:
            c.before += n if c.choice.pk in before else 0
            c.after += n if c.choice.pk in picked else 0


def _ids(picked):
    return {int(pk) for pk in picked.split(",") if pk}


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
