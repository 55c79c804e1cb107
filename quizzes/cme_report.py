"""The evaluation (Moore level 2) and the commitments with their follow-ups (level 5,
self-reported) in a quiz's outcomes report, its page and its own CSV.

Counted like the quiz: staff and demo answers left out, the date window on the day
each answer was given (whole days in the site's time zone). A group of fewer than
MIN_READERS respondents is suppressed, and so is the next smallest group when only one
would be, so that no suppressed group can be recovered by subtracting the shown ones
from the total. Follow-ups are reported for all readers together, never by group.
"""

import datetime
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.exports import GuardedWriter
from common.numbers import fixed, percent
from quizzes.figures import MIN_READERS, STRATA, stratum_label
from quizzes.models import Attempt, Commitment, Evaluation, FollowUp

LIKERT = [
    ("relevance", _("Relevant to my practice")),
    ("objectives_met", _("Learning objectives met")),
    ("faculty_quality", _("Experts effective and knowledgeable")),
]
YES_NO = [
    ("free_of_bias", _("Fair, balanced and free of commercial bias")),
    ("would_recommend", _("Would recommend to a colleague")),
]
SUPPRESSED = "suppressed (fewer than 5 respondents)"


@dataclass
class Item:
    key: str
    label: str
    n: int
    count: int  # agree (4–5) or yes
    mean: Fraction | None = None

    @property
    def share(self):
        return percent(self.count, self.n) if self.n else None


@dataclass
class Group:
    label: str
    respondents: int
    suppressed: bool = False
    items: list = field(default_factory=list)
    bias_comments: int = 0


@dataclass
class Stage:
    days: int
    sent: int
    answered: int
    outcomes: list  # [(label, count, share)]
    barriers: list
    suppressed: bool


@dataclass
class CmeOutcomes:
    overall: Group
    by: str | None
    by_label: str | None
    groups: list
    post_tests: int
    commitments: int
    stages: list

    @property
    def stage_rows(self):
        """Each outcome and barrier as a row, a (count, share) per stage, None suppressed."""
        rows = []
        for index, (label, _c, _s) in enumerate(self.stages[0].outcomes + self.stages[0].barriers):
            cells = []
            for stage in self.stages:
                entries = stage.outcomes + stage.barriers
                cells.append(None if stage.suppressed else entries[index][1:])
            rows.append({"label": label, "cells": cells})
        return rows

    @property
    def commitment_share(self):
        return percent(self.commitments, self.post_tests) if self.post_tests else None


def _bounds(since, until):
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(since, datetime.time(), tz) if since else None
    high = (
        datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time(), tz)
        if until
        else None
    )
    return low, high


def _window(queryset, since, until, prefix=""):
    low, high = _bounds(since, until)
    if low:
        queryset = queryset.filter(**{f"{prefix}created_at__gte": low})
    if high:
        queryset = queryset.filter(**{f"{prefix}created_at__lt": high})
    return queryset


def _aggregates():
    figures = {"n": Count("pk"), "bias_comments": Count("pk", filter=~Q(bias_comment=""))}
    for name, _label in LIKERT:
        figures[f"{name}_agree"] = Count("pk", filter=Q(**{f"{name}__gte": 4}))
        figures[f"{name}_sum"] = Sum(name)
    for name, _label in YES_NO:
        figures[f"{name}_yes"] = Count("pk", filter=Q(**{name: True}))
    return figures


def _group(label, row):
    n = row["n"] or 0
    group = Group(label=label, respondents=n, bias_comments=row["bias_comments"] or 0)
    for name, item_label in LIKERT:
        mean = Fraction(row[f"{name}_sum"], n) if n else None
        group.items.append(Item(name, item_label, n, row[f"{name}_agree"], mean))
    for name, item_label in YES_NO:
        group.items.append(Item(name, item_label, n, row[f"{name}_yes"]))
    return group


def suppress(groups, total):
    """Mark small groups suppressed, and one more when a lone suppressed group could be
    found as the total minus the others."""
    for group in groups:
        group.suppressed = group.respondents < MIN_READERS
    hidden = [g for g in groups if g.suppressed]
    if total >= MIN_READERS and len(hidden) == 1:
        others = sorted((g for g in groups if not g.suppressed), key=lambda g: g.respondents)
        if others:
            others[0].suppressed = True
    return groups


def cme_outcomes(quiz, since=None, until=None, by=None, hubs=None):
    """The evaluation and follow-up figures; with `hubs` (ids), of the readers who took
    the quiz on those hubs only."""
    here = {} if hubs is None else {"hub_id__in": hubs}
    evaluations = _window(Evaluation.objects.filter(quiz=quiz, by_staff=False, is_demo=False,
                                                    **here), since, until)  # fmt: skip
    overall = _group(_("All readers"), evaluations.aggregate(**_aggregates()))
    overall.suppressed = overall.respondents < MIN_READERS
    groups = []
    if by in STRATA:
        rows = evaluations.values(by).annotate(**_aggregates()).order_by(by)
        groups = suppress(
            [_group(stratum_label(by, row[by]), row) for row in rows], overall.respondents
        )
        if overall.suppressed:
            for group in groups:
                group.suppressed = True

    posts = _window(
        Attempt.objects.counted().filter(quiz=quiz, stage=Attempt.Stage.POST, **here),
        since,
        until,
    )
    commitments = _window(
        Commitment.objects.filter(quiz=quiz, by_staff=False, is_demo=False, **here), since, until
    )
    return CmeOutcomes(
        overall=overall,
        by=by if by in STRATA else None,
        by_label=STRATA.get(by),
        groups=groups,
        post_tests=posts.count(),
        commitments=commitments.count(),
        stages=_stages(commitments),
    )


def _stages(commitments):
    follow_ups = FollowUp.objects.filter(commitment__in=commitments.values("pk"))
    figures = {
        f"{stage}_{what}": Count("pk", filter=Q(stage=stage, **condition))
        for stage in FollowUp.Stage.values
        for what, condition in [
            ("sent", {}),
            ("answered", {"answered_at__isnull": False}),
            *((f"o_{o}", {"outcome": o}) for o in FollowUp.Outcome.values),
            *((f"b_{b}", {"barrier": b}) for b in FollowUp.Barrier.values),
        ]
    }
    counts = follow_ups.aggregate(**figures)
    stages = []
    for stage in FollowUp.Stage.values:
        answered = counts[f"{stage}_answered"]

        def shares(kind, choices, stage=stage, answered=answered):
            return [
                (label, counts[f"{stage}_{kind}_{value}"],
                 percent(counts[f"{stage}_{kind}_{value}"], answered) if answered else None)
                for value, label in choices
            ]  # fmt: skip

        stages.append(
            Stage(
                days=stage,
                sent=counts[f"{stage}_sent"],
                answered=answered,
                outcomes=shares("o", FollowUp.Outcome.choices),
                barriers=shares("b", FollowUp.Barrier.choices),
                suppressed=answered < MIN_READERS,
            )
        )
    return stages


CSV_HEADER = ["section", "breakdown", "group", "respondents", "item", "n", "count", "%", "mean"]


def write_csv(outcomes, stream, *, quiz, since, until):
    """The evaluation and follow-up figures, one row each, with the report's metadata."""
    writer = GuardedWriter(stream)
    for name, value in [
        ("activity", quiz.article.title),
        ("window", f"{since or 'start'} to {until or 'today'} (by the day each answer was given)"),
        ("generated at", timezone.now().isoformat(timespec="seconds")),
        ("suppression", f"groups of fewer than {MIN_READERS} respondents, and the next "
                        "smallest when only one is (complementary)"),
        ("exclusions", "answers by staff and on demo content"),
        ("agree", "4 (agree) or 5 (strongly agree) on a 5-point scale"),
    ]:  # fmt: skip
        writer.writerow(["#", name, value])
    writer.writerow(CSV_HEADER)
    breakdown = str(outcomes.by_label) if outcomes.by else "all readers"
    _write_group(writer, "evaluation (Moore level 2)", "all readers", outcomes.overall)
    for group in outcomes.groups:
        _write_group(writer, "evaluation (Moore level 2)", breakdown, group)
    writer.writerow(["commitment to change (Moore level 5, self-reported)", "all readers",
                     "", outcomes.post_tests, "readers who took the post-test and wrote one",
                     outcomes.post_tests, outcomes.commitments,
                     outcomes.commitment_share, ""])  # fmt: skip
    for stage in outcomes.stages:
        section = f"follow-up at {stage.days} days (Moore level 5, self-reported)"
        writer.writerow([section, "all readers", "", "", "emails sent", "", stage.sent, "", ""])
        if stage.suppressed:
            writer.writerow([section, "all readers", "", SUPPRESSED, "answers", "", "", "", ""])
            continue
        for label, count, share in stage.outcomes + stage.barriers:
            writer.writerow([section, "all readers", "", stage.answered, str(label),
                             stage.answered, count, share, ""])  # fmt: skip


def _write_group(writer, section, breakdown, group):
    if group.suppressed:
        writer.writerow([section, breakdown, str(group.label), SUPPRESSED, "", "", "", "", ""])
        return
    for item in group.items:
        kind = "agree" if item.mean is not None else "yes"
        writer.writerow([section, breakdown, str(group.label), group.respondents,
                         f"{item.label} ({kind})", item.n, item.count, item.share,
                         fixed(item.mean, 2) if item.mean is not None else ""])  # fmt: skip
    writer.writerow([section, breakdown, str(group.label), group.respondents,
                     "saw commercial bias and said where (comments to review in the admin)",
                     group.respondents, group.bias_comments, "", ""])  # fmt: skip
