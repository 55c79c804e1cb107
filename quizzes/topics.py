"""Outcomes across a topic: each of its quizzes, and the change pooled over them."""

from dataclasses import dataclass

from articles.models import Topic
from common.numbers import percent
from quizzes import stats
from quizzes.figures import shown
from quizzes.models import Quiz
from quizzes.report import quiz_report


@dataclass
class QuizOutcome:
    quiz: Quiz
    report: object

    @property
    def group(self):
        return self.report.overall

    @property
    def answers(self):
        return sum(q.pairs for q in self.group.questions)

    @property
    def share_before(self):
        return percent(sum(q.correct_before for q in self.group.questions), self.answers)

    @property
    def share_after(self):
        return percent(sum(q.correct_after for q in self.group.questions), self.answers)

    @property
    def is_shown(self):
        return not self.group.suppressed and self.group.pairs_shown


@dataclass
class PooledGroup:
    """All readers, or one profession, specialty or country, pooled over the quizzes."""

    label: str
    paired: object  # stats.PairedChange on per-reader % correct, or None
    pairs: int

    @property
    def is_shown(self):
        return shown(self.pairs)


@dataclass
class TopicOutcomes:
    quizzes: list
    pooled: object  # stats.PairedChange on per-reader % correct, or None
    pairs: int
    strata: list  # PooledGroup per stratum value, when broken down

    @property
    def is_shown(self):
        return shown(self.pairs)

    @property
    def bars(self):
        return [
            (f"{n}", [q.share_before, q.share_after] if q.is_shown else [None, None])
            for n, q in enumerate(self.quizzes, 1)
        ]


def topic_outcomes(topic, period=None, by=None, hubs=None):
    """Every quiz on the topic's articles (subtopics included), and their pooled change.

    Pooled figures are on % correct so that quizzes of different lengths add up; a
    reader who took several quizzes counts once per quiz (reader-quiz pairs). With
    `by`, the pooled change is also given per profession, specialty or country.
    Only figures each quiz's own report shows are pooled, so the pool cannot be
    subtracted from to recover a figure a quiz's report withholds. With `hubs` (ids),
    only the quizzes shown on those hubs (an editor's) and the attempts taken there;
    None: every hub.
    """
    family = topic.family_ids(list(Topic.objects.on_hub(None).only("pk", "parent_id")))
    quizzes = (
        Quiz.objects.filter(article__topics__in=family)
        .shown_on(hubs)
        .distinct()
        .select_related("article")
        .prefetch_related("article__learning_objectives")
        .order_by("article__title")
    )
    rows, table, strata, labels = [], {}, {}, {}
    for quiz in quizzes:
        outcome = QuizOutcome(quiz, quiz_report(quiz, period, hubs=hubs))
        rows.append(outcome)
        total = len(outcome.report.questions)
        if not total:
            continue
        if outcome.is_shown:
            _add(table, outcome.group.score_table, total)
        for group in quiz_report(quiz, period, by, hubs).strata if by else []:
            labels[group.key] = group.label
            pooled_table = strata.setdefault(group.key, {})
            if group.pairs_shown and not group.suppressed:
                _add(pooled_table, group.score_table, total)
    pooled = [
        PooledGroup(labels[key], stats.paired_change(t), sum(t.values()))
        for key, t in strata.items()
    ]
    pooled.sort(key=lambda g: (-g.pairs, str(g.label)))
    return TopicOutcomes(rows, stats.paired_change(table), sum(table.values()), pooled)


def topic_quarters(topic, hubs=None):
    """Every quarter in which a reader started one of the topic's quizzes, newest first."""
    from quizzes.report import quarters

    family = topic.family_ids(list(Topic.objects.on_hub(None).only("pk", "parent_id")))
    found = set()
    for quiz in Quiz.objects.filter(article__topics__in=family).shown_on(hubs).distinct():
        found.update(quarters(quiz, hubs))
    return sorted(found, reverse=True)


def _add(table, score_table, total):
    """Add a quiz's {(score before, after): pairs} to a pooled table on % correct."""
    for (before, after), n in score_table.items():
        key = (100 * before / total, 100 * after / total)
        table[key] = table.get(key, 0) + n
