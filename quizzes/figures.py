"""What a quiz report holds (quizzes/report.py builds it): each question's, objective's
and group's figures, and the rule that hides a figure resting on fewer than MIN_READERS
readers, so that none can be singled out."""

import datetime
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from articles.vocabulary import Profession, Specialty
from common.numbers import percent
from quizzes import stats
from quizzes.models import Intent

MIN_READERS = 5
STRATA = {
    "profession": _("Profession"),
    "specialty": _("Specialty"),
    "country": _("Country"),
}


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
        ids = picked_ids(picked)
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


def picked_ids(picked):
    """A stored pick ("12,15") as a set of choice ids."""
    return {int(pk) for pk in picked.split(",") if pk}
