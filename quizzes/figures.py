"""What a quiz report holds (quizzes/report.py builds it): each question's, objective's
and group's figures, what of them may be shown (quizzes/disclosure.py), and the
headline outcomes funders compare, each with its level in Moore's framework."""

import datetime
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from articles.vocabulary import Profession, Specialty
from common.numbers import percent
from quizzes import stats
from quizzes.disclosure import MIN_READERS
from quizzes.models import Intent, Question

CONFIDENT = 4  # "fairly" or "very" confident on the 1–5 scale


class Moore:
    """Levels of Moore, Green and Gallis's outcomes framework (2009) the report measures."""

    PARTICIPATION = _("Level 1: participation")
    KNOWLEDGE = _("Level 3: knowledge")
    COMPETENCE = _("Level 4: competence (case-based)")
    SELF_COMPETENCE = _("Level 4: competence (self-reported confidence)")
    INTENT = _("Level 4: competence (self-reported intent to change)")
    KNOWLEDGE_AND_COMPETENCE = _("Levels 3 and 4: knowledge and case-based competence")


def moore_level(measures):
    """The level of a question, or of a score over questions measuring `measures`."""
    kinds = set(measures)
    if kinds == {Question.Measures.COMPETENCE}:
        return Moore.COMPETENCE
    if Question.Measures.COMPETENCE in kinds:
        return Moore.KNOWLEDGE_AND_COMPETENCE
    return Moore.KNOWLEDGE


def adds_up(shares):
    """Whether rounded shares add up to 100 % (if not, the page says they were rounded)."""
    shown = [s for s in shares if s is not None]
    return not shown or sum(shown) == 100


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
    measures: str = Question.Measures.KNOWLEDGE

    @property
    def moore_level(self):
        return moore_level([self.measures])

    @property
    def measures_label(self):
        return Question.Measures(self.measures).label

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
    withheld: set = field(default_factory=set)  # the group's withheld families

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
        """The difference of the two shares shown, so the row reads right across."""
        if not self.pairs:
            return None
        return self.share_after - self.share_before

    @property
    def got_worse(self):
        """Fewer of the same readers right after reading than before: worth a look."""
        return bool(self.pairs) and self.correct_after < self.correct_before

    @property
    def all_share_before(self):
        return percent(self.all_before_correct, self.all_before)

    @property
    def all_share_after(self):
        return percent(self.all_after_correct, self.all_after)

    @cached_property  # computed once the counts are in; pickled with the report
    def mcnemar(self):
        return stats.mcnemar(self.right_wrong, self.wrong_right)

    @property
    def matched_shown(self):
        return "pairs" not in self.withheld and shown(self.pairs)

    @property
    def before_shown(self):
        return "before" not in self.withheld and shown(self.all_before)

    @property
    def after_shown(self):
        return "after" not in self.withheld and shown(self.all_after)


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
    withheld: set = field(default_factory=set)

    @property
    def readers(self):
        return self.improved + self.worsened + self.unchanged

    @property
    def share_before(self):
        return percent(self.correct_before, self.answers)

    @property
    def share_after(self):
        return percent(self.correct_after, self.answers)

    @cached_property  # computed once the counts are in; pickled with the report
    def sign_test_p(self):
        return stats.sign_test(self.improved, self.worsened)

    @property
    def has_questions(self):
        return bool(self.questions)

    @property
    def is_shown(self):
        return self.has_questions and "pairs" not in self.withheld and shown(self.readers)

    @property
    def moore_level(self):
        return moore_level([q.measures for q in self.questions])


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
    withheld: set = field(default_factory=set)  # families (quizzes.disclosure.FAMILIES)

    def work_out(self):
        """Run the tests on the counts, once, so that a cached report holds their results."""
        _results = (self.paired, self.confidence)
        for question in self.questions:
            _results = question.mcnemar
        for objective in self.objectives:
            _results = objective.sign_test_p

    def withhold(self, families):
        """Withhold these families of figures, on the group and each of its parts."""
        self.withheld = set(families)
        for part in (*self.questions, *self.objectives):
            part.withheld = self.withheld

    def shows(self, family):
        counts = {
            "readers": self.readers,
            "before": self.attempts_before,
            "after": self.attempts_after,
            "pairs": self.pairs,
            "confidence": self.confidence_pairs,
            "intent": self.intent_answers,
        }
        return family not in self.withheld and shown(counts[family])

    @property
    def suppressed(self):
        return not self.shows("readers")

    @property
    def counts_shown(self):
        """Attempt counts before and after, shown only if neither can reveal the pairs."""
        return not ({"before", "after", "pairs"} & self.withheld)

    @property
    def pairs_shown(self):
        return self.shows("pairs")

    @property
    def before_shown(self):
        return self.shows("before")

    @property
    def after_shown(self):
        return self.shows("after")

    @property
    def confidence_shown(self):
        return self.shows("confidence")

    @property
    def intent_shown(self):
        return self.shows("intent")

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

    @cached_property  # computed once the counts are in; pickled with the report
    def paired(self):
        return stats.paired_change(self.score_table)

    @cached_property  # computed once the counts are in; pickled with the report
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
    def intent_adds_up(self):
        return adds_up([share for _label, _n, share in self.intent_rows])

    # -- Headline outcomes, as funders compare them (matched pairs) --------------------

    @property
    def total_questions(self):
        return len(self.questions)

    @property
    def share_correct_before(self):
        """Matched pairs' mean score before reading, as % correct (exact, then rounded)."""
        right = sum(before * n for (before, _after), n in self.score_table.items())
        return percent(right, self.pairs * self.total_questions)

    @property
    def share_correct_after(self):
        right = sum(after * n for (_before, after), n in self.score_table.items())
        return percent(right, self.pairs * self.total_questions)

    @property
    def learner_shares(self):
        """% of matched readers whose score rose, held and fell."""
        paired = self.paired
        if not paired:
            return None
        return {
            "improved": percent(paired.improved, paired.n),
            "unchanged": percent(paired.unchanged, paired.n),
            "worsened": percent(paired.worsened, paired.n),
        }

    @property
    def learner_shares_add_up(self):
        shares = self.learner_shares
        return shares is None or adds_up(shares.values())

    @property
    def confident_before(self):
        """% of readers with both confidence answers who were confident (4–5) before."""
        n = self.confidence_pairs
        return percent(sum(v for (b, _a), v in self.confidence_table.items() if b >= CONFIDENT), n)

    @property
    def confident_after(self):
        n = self.confidence_pairs
        return percent(sum(v for (_b, a), v in self.confidence_table.items() if a >= CONFIDENT), n)

    @property
    def moore_level(self):
        return moore_level([q.info.measures for q in self.questions])

    def measured(self, kind):
        """Matched answers to questions measuring `kind`: (answers, % before, % after)."""
        asked = [q for q in self.questions if q.info.measures == kind]
        answers = sum(q.pairs for q in asked)
        if not asked or not answers:
            return None
        before = sum(q.correct_before for q in asked)
        after = sum(q.correct_after for q in asked)
        return answers, percent(before, answers), percent(after, answers)

    @property
    def knowledge(self):
        return self.measured(Question.Measures.KNOWLEDGE)

    @property
    def competence(self):
        return self.measured(Question.Measures.COMPETENCE)

    @property
    def worse_questions(self):
        return [q for q in self.questions if q.matched_shown and q.got_worse]

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
    period: datetime.date | None  # the first day of the quarter shown; None: all time
    overall: Group
    strata: list  # Groups, one per stratum value, when broken down
    article_reader_days: int  # unique declared readers per day, summed over the days
    excluded_staff: int
    excluded_demo: int
    has_confidence: bool
    has_intent: bool
    title: str = ""
    article_title: str = ""
    is_demo: bool = False  # the quiz or its article is demo content: nothing counts
    generated_at: datetime.datetime | None = None
    version: str = ""  # the quiz's results version it was built on (quizzes.report)

    @property
    def groups(self):
        return [self.overall, *self.strata]

    @property
    def period_label(self):
        return quarter_label(self.period) if self.period else _("All time")

    @property
    def period_withheld(self):
        """The whole quarter is withheld (too few readers, or to protect another quarter)."""
        return self.period is not None and self.overall.suppressed

    @property
    def funnel(self):
        """Readers who took the pre-test, the post-test and both (each reader once)."""
        g = self.overall
        steps = [
            (_("Took the quiz before reading"), g.attempts_before, "before"),
            (_("Took the quiz after reading"), g.attempts_after, "after"),
            (_("Took both (matched pairs)"), g.pairs, "pairs"),
        ]
        top = max(g.attempts_before, g.attempts_after, g.pairs)
        return [
            (label, n, percent(n, top)) if g.shows(family) else (label, None, None)
            for label, n, family in steps
        ]

    @property
    def funnel_bars(self):
        """The funnel's bars, each named by its step (not by a number)."""
        return [(str(label), [share]) for label, _count, share in self.funnel]

    @property
    def by_label(self):
        return STRATA.get(self.by)

    @property
    def exclusions(self):
        from django.utils.translation import gettext

        parts = [
            gettext("%(n)s attempts by staff") % {"n": self.excluded_staff},
            gettext("%(n)s attempts on demo content") % {"n": self.excluded_demo},
        ]
        if self.is_demo:
            parts.append(gettext("every read and attempt: this is demo content"))
        return "; ".join(parts)

    @property
    def window_rule(self):
        from django.utils.translation import gettext

        return gettext(
            "A reader counts once, in the quarter in which they started the quiz (their "
            "pre-test, or the post-test if they took only that) and in the profession, "
            "specialty and country they had then: a pair's post-test goes with its pre-test."
        )


def quarter_label(day):
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def quarter_start(day):
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def next_quarter(day):
    start = quarter_start(day)
    return datetime.date(start.year + (start.month == 10), (start.month + 2) % 12 + 1, 1)


def picked_ids(picked):
    """A stored pick ("12,15") as a set of choice ids."""
    return {int(pk) for pk in picked.split(",") if pk}
