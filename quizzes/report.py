"""What readers learned: a quiz's results, aggregated in the database.

Five queries whatever the number of attempts; see bench/quiz_report.py.
"""

from dataclasses import dataclass

from django.db.models import Avg, Case, Count, F, Max, Q, When

from common.exports import GuardedWriter
from quizzes.models import Answer, Attempt


@dataclass
class QuestionResult:
    number: int
    text: str
    answered_before: int
    correct_before: int
    answered_after: int
    correct_after: int

    @staticmethod
    def _share(correct, answered):
        return round(100 * correct / answered) if answered else None

    @property
    def share_before(self):
        return self._share(self.correct_before, self.answered_before)

    @property
    def share_after(self):
        return self._share(self.correct_after, self.answered_after)


@dataclass
class QuizReport:
    questions_count: int
    readers: int
    attempts_before: int
    attempts_after: int
    mean_before: float | None
    mean_after: float | None
    pairs: int
    pairs_mean_before: float | None
    pairs_mean_after: float | None
    questions: list

    @property
    def gain(self):
        """Mean change in correct answers among readers who took both (matched pairs)."""
        if not self.pairs:
            return None
        return self.pairs_mean_after - self.pairs_mean_before

    def percent(self, mean):
        if mean is None or not self.questions_count:
            return None
        return round(100 * mean / self.questions_count)

    @property
    def percent_before(self):
        return self.percent(self.mean_before)

    @property
    def percent_after(self):
        return self.percent(self.mean_after)

    @property
    def gain_points(self):
        """The gain in percentage points of the quiz."""
        if self.gain is None or not self.questions_count:
            return None
        return round(100 * self.gain / self.questions_count)


def quiz_report(quiz):
    attempts = Attempt.objects.filter(quiz=quiz)
    by_stage = {
        row["stage"]: row
        for row in attempts.values("stage").annotate(n=Count("id"), mean=Avg("score"))
    }
    pairs = (
        attempts.values("participant")
        .annotate(
            stages=Count("id"),
            pre_score=Max(Case(When(stage=Attempt.Stage.PRE, then=F("score")))),
            post_score=Max(Case(When(stage=Attempt.Stage.POST, then=F("score")))),
        )
        .filter(stages=2)
        .aggregate(n=Count("participant"), before=Avg("pre_score"), after=Avg("post_score"))
    )
    readers = attempts.values("participant").distinct().count()
    tallies = {
        (row["question_id"], row["attempt__stage"]): row
        for row in Answer.objects.filter(attempt__quiz=quiz)
        .values("question_id", "attempt__stage")
        .annotate(n=Count("id"), correct=Count("id", filter=Q(is_correct=True)))
    }
    questions = list(quiz.questions.all())

    def tally(question, stage, key):
        return tallies.get((question.pk, stage), {}).get(key, 0)

    pre, post = Attempt.Stage.PRE, Attempt.Stage.POST
    return QuizReport(
        questions_count=len(questions),
        readers=readers,
        attempts_before=by_stage.get(pre, {}).get("n", 0),
        attempts_after=by_stage.get(post, {}).get("n", 0),
        mean_before=by_stage.get(pre, {}).get("mean"),
        mean_after=by_stage.get(post, {}).get("mean"),
        pairs=pairs["n"],
        pairs_mean_before=pairs["before"],
        pairs_mean_after=pairs["after"],
        questions=[
            QuestionResult(
                number=number,
                text=question.text,
                answered_before=tally(question, pre, "n"),
                correct_before=tally(question, pre, "correct"),
                answered_after=tally(question, post, "n"),
                correct_after=tally(question, post, "correct"),
            )
            for number, question in enumerate(questions, start=1)
        ],
    )


def write_csv(report, stream):
    """The report as CSV: a summary block, then one row per question."""
    writer = GuardedWriter(stream)
    writer.writerow(["measure", "before reading", "after reading", "change"])
    writer.writerow(["attempts", report.attempts_before, report.attempts_after, ""])
    writer.writerow(["mean correct answers", _fmt(report.mean_before), _fmt(report.mean_after), ""])
    writer.writerow(
        [
            f"matched pairs (n={report.pairs}): mean correct",
            _fmt(report.pairs_mean_before),
            _fmt(report.pairs_mean_after),
            _fmt(report.gain),
        ]
    )
    writer.writerow([])
    writer.writerow(
        ["question", "text", "answered before", "% correct before", "answered after",
         "% correct after"]
    )  # fmt: skip
    for q in report.questions:
        writer.writerow(
            [q.number, q.text, q.answered_before, _fmt(q.share_before), q.answered_after,
             _fmt(q.share_after)]
        )  # fmt: skip


def _fmt(value):
    return "" if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def forget_reports(quiz_id):
    """Drop every cached report of a quiz (placeholder until reports are cached)."""
