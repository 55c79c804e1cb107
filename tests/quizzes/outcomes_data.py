"""A quiz answered by a generated set of readers whose outcomes are known in advance.

build_known() records every attempt through record_attempt(), the path readers
take, and returns the plan it followed; expected() works the figures out from the
plan alone, by hand and with the textbook formulas, not with the report's code.
"""

import math
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model

from quizzes.attempts import record_attempt
from tests.articles.factories import make_article
from tests.quizzes.factories import SINGLE, make_quiz

QUESTIONS = [
    (SINGLE, f"Known question {n}?", [(f"Right {n}", True), (f"Wrong {n}a", False),
                                      (f"Wrong {n}b", False)])
    for n in range(1, 5)
]  # fmt: skip
# Q1 and Q2 test objective 1, Q3 objective 2, Q4 none.
OBJECTIVE_OF = [0, 0, 1, None]
PROFESSIONS = ["physician"] * 30 + ["nurse"] * 20 + ["pharmacist"] * 8 + ["student"] * 2


@dataclass
class Reader:
    profession: str
    specialty: str
    country: str
    before: list | None  # choice index picked per question (0 is right), or None
    after: list | None
    confidence: tuple = (None, None)


def build_known(seed=13, asks_confidence=True):
    article = make_article(objectives=["Objective one", "Objective two"])
    quiz = make_quiz(
        article,
        questions=QUESTIONS,
        confidence_question="How confident are you?" if asks_confidence else "",
        asks_intent=True,
    )
    objectives = list(article.learning_objectives.all())
    for question, index in zip(quiz.questions.all(), OBJECTIVE_OF, strict=True):
        question.objective = objectives[index] if index is not None else None
        question.save()
    rng = random.Random(seed)
    plan = []
    for n, profession in enumerate(PROFESSIONS):
        takes_before, takes_after = n % 60 < 52, n % 60 >= 8
        reader = Reader(
            profession=profession,
            specialty=rng.choice(["haematology", "oncology", "other"]),
            country=rng.choice(["GB", "ES", "DE"]),
            before=[_pick(rng, 0.45) for _q in QUESTIONS] if takes_before else None,
            after=[_pick(rng, 0.75) for _q in QUESTIONS] if takes_after else None,
            confidence=(rng.randint(1, 4), rng.randint(2, 5)),
        )
        plan.append(reader)
        user = get_user_model().objects.create(
            email=f"known{n}@example.org",
            profession=reader.profession,
            specialty=reader.specialty,
            country=reader.country,
        )
        take_planned(quiz, user, reader)
    return quiz, plan


def _pick(rng, chance):
    return 0 if rng.random() < chance else rng.choice([1, 2])


def take_planned(quiz, user, reader):
    questions = quiz.ordered_questions(seed=user.pk)
    for stage, picks, confidence in (
        ("before", reader.before, reader.confidence[0]),
        ("after", reader.after, reader.confidence[1]),
    ):
        if picks is None:
            continue
        chosen = {q.pk: [q.ordered_choices[i].pk] for q, i in zip(questions, picks, strict=True)}
        record_attempt(
            quiz, user, stage, questions, chosen,
            confidence=confidence if quiz.confidence_question else None,
            intent="yes" if stage == "after" and sum(p == 0 for p in picks) > 2 else
            ("unsure" if stage == "after" else ""),
        )  # fmt: skip


def half_up(value):
    return int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def mcnemar_by_hand(b, c):
    """(method, χ² or None, P): exact binomial under 25 changes, corrected χ² from 25."""
    n = b + c
    if n < 25:
        tail = sum(math.comb(n, k) for k in range(min(b, c) + 1)) / 2**n
        return "exact", None, min(1.0, 2 * tail)
    chi2 = (abs(b - c) - 1) ** 2 / n
    return "chi2", chi2, math.erfc(math.sqrt(chi2 / 2))  # χ² with 1 df: P = erfc(√(χ²/2))


def expected(plan, professions=None):
    """The matched figures for readers whose profession is in `professions` (all if None)."""
    readers = [r for r in plan if professions is None or r.profession in professions]
    pairs = [r for r in readers if r.before and r.after]
    questions = []
    for q in range(len(QUESTIONS)):
        cells = {"rr": 0, "rw": 0, "wr": 0, "ww": 0}
        for r in pairs:
            key = ("r" if r.before[q] == 0 else "w") + ("r" if r.after[q] == 0 else "w")
            cells[key] += 1
        before, after = cells["rr"] + cells["rw"], cells["rr"] + cells["wr"]
        questions.append(
            {
                **cells,
                "pairs": len(pairs),
                "pct_before": half_up(Decimal(100 * before) / len(pairs)),
                "pct_after": half_up(Decimal(100 * after) / len(pairs)),
                "mcnemar": mcnemar_by_hand(cells["rw"], cells["wr"]),
                "picked_before": [sum(r.before[q] == i for r in pairs) for i in range(3)],
                "picked_after": [sum(r.after[q] == i for r in pairs) for i in range(3)],
            }
        )
    changes = [sum(p == 0 for p in r.after) - sum(p == 0 for p in r.before) for r in pairs]
    objectives = []
    for index in (0, 1):
        asked = [q for q, o in enumerate(OBJECTIVE_OF) if o == index]
        signs = [
            sum(r.after[q] == 0 for q in asked) - sum(r.before[q] == 0 for q in asked)
            for r in pairs
        ]
        objectives.append(
            {
                "improved": sum(s > 0 for s in signs),
                "worsened": sum(s < 0 for s in signs),
                "unchanged": sum(s == 0 for s in signs),
            }
        )
    return {
        "readers": len(readers),
        "pairs": len(pairs),
        "questions": questions,
        "changes": changes,
        "objectives": objectives,
    }


def wilcoxon_exact_by_hand(changes):
    """Two-sided exact signed-rank P, conditional on tied ranks: every sign pattern counted.

    Written independently of quizzes.stats: midranks as Fractions, the distribution of
    the positive rank sum built up one reader at a time in a dict.
    """
    from fractions import Fraction

    nonzero = sorted((c for c in changes if c), key=abs)
    ranks, i = [], 0
    while i < len(nonzero):
        j = i
        while j < len(nonzero) and abs(nonzero[j]) == abs(nonzero[i]):
            j += 1
        ranks += [Fraction(i + 1 + j, 2)] * (j - i)  # the mean of ranks i+1 … j
        i = j
    observed = sum(r for r, c in zip(ranks, nonzero, strict=True) if c > 0)
    sums = {Fraction(0): 1}
    for r in ranks:
        grown = dict(sums)
        for total, ways in sums.items():
            grown[total + r] = grown.get(total + r, 0) + ways
        sums = grown
    patterns = 2 ** len(ranks)
    low = sum(w for t, w in sums.items() if t <= observed)
    high = sum(w for t, w in sums.items() if t >= observed)
    return min(1.0, 2 * min(low, high) / patterns)
