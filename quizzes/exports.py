"""The outcomes as CSV: a summary with counts and P values, and one row per answer.

Both go through common.exports.GuardedWriter (no cell can run as a spreadsheet
formula) and format numbers with common.numbers, as the page does, so the two agree.
"""

from collections import Counter

from django.db.models import Count
from django.http import StreamingHttpResponse
from django.utils import timezone

from common.exports import GuardedWriter
from common.numbers import fixed, p_value, percent
from quizzes.figures import MIN_READERS, STRATA
from quizzes.models import Answer, Attempt
from quizzes.report import PRE, _bounds, _in_range, quiz_layout

SUMMARY_HEADER = [
    "section", "breakdown", "group", "readers", "item", "objective", "n",
    "before", "after", "% before", "% after", "change",
    "right→right", "right→wrong", "wrong→right", "wrong→wrong",
    "test", "statistic", "p value",
]  # fmt: skip
SUPPRESSED = "suppressed (fewer than 5 readers)"


def write_summary(reports, stream):
    """`reports`: the overall report first, then one per breakdown (STRATA)."""
    writer = GuardedWriter(stream)
    writer.writerow(SUMMARY_HEADER)
    first = reports[0]
    for label, n, _share in first.funnel:
        writer.writerow(_row("funnel", item=str(label), n=n))
    writer.writerow(_row("excluded", item="attempts by staff", n=first.excluded_staff))
    writer.writerow(_row("excluded", item="attempts on demo content", n=first.excluded_demo))
    for report in reports:
        breakdown = str(STRATA[report.by]) if report.by else "all readers"
        for group in report.groups if not report.by else report.strata:
            _write_group(writer, report, breakdown, group)


def _row(section, **cells):
    row = dict.fromkeys(SUMMARY_HEADER, "")
    row["section"] = section
    row.update({key.replace("_", " "): value for key, value in cells.items()})
    return [row[column] for column in SUMMARY_HEADER]


def _write_group(writer, report, breakdown, group):
    base = {"breakdown": breakdown, "group": str(group.label)}
    if group.suppressed:
        writer.writerow(_row("group", **base, readers=SUPPRESSED))
        return
    base["readers"] = group.readers
    unmatched = "score (all attempts, unmatched)"
    writer.writerow(
        _row(unmatched, **base, item="attempts", before=group.attempts_before,
             after=group.attempts_after)
    )  # fmt: skip
    writer.writerow(
        _row(unmatched, **base, item="mean correct answers", before=fixed(group.mean_before),
             after=fixed(group.mean_after))
    )  # fmt: skip
    paired = group.paired
    if paired and paired.n >= MIN_READERS:
        writer.writerow(
            _row("score (matched pairs)", **base, item="mean correct answers", n=paired.n,
                 before=fixed(paired.mean_before), after=fixed(paired.mean_after),
                 change=fixed(paired.mean_change), test="Wilcoxon signed-rank",
                 p_value=p_value(paired.wilcoxon_p))
        )  # fmt: skip
        writer.writerow(
            _row("score (matched pairs)", **base, item="paired t test; Cohen's d_z",
                 n=paired.n, change=fixed(paired.mean_change), test="paired t",
                 statistic=fixed(paired.effect_size), p_value=p_value(paired.t_p))
        )  # fmt: skip
    for q in group.questions:
        item = f"Q{q.info.number}. {q.info.text}"
        objective = _objective_number(report, q.info.objective_id)
        if q.matched_shown:
            test = q.mcnemar
            writer.writerow(
                _row("question (matched pairs)", **base, item=item, objective=objective,
                     n=q.pairs, before=q.correct_before, after=q.correct_after,
                     **{"% before": q.share_before, "% after": q.share_after},
                     change=q.change_points, **{"right→right": q.right_right,
                     "right→wrong": q.right_wrong, "wrong→right": q.wrong_right,
                     "wrong→wrong": q.wrong_wrong},
                     test=f"McNemar {test.method}" if test else "",
                     statistic=fixed(test.statistic) if test else "",
                     p_value=p_value(test.p) if test else "")
            )  # fmt: skip
            for c in q.choices:
                label = f"Q{q.info.number}{c.choice.letter}. {c.choice.text}"
                writer.writerow(
                    _row("choice (matched pairs)", **base,
                         item=label + (" (correct)" if c.choice.is_correct else ""),
                         objective=objective, n=q.pairs, before=c.before,
                         after=c.after, **{"% before": _pct(c.before, q.pairs),
                         "% after": _pct(c.after, q.pairs)})
                )  # fmt: skip
        else:
            writer.writerow(_row("question (matched pairs)", **base, item=item, n=SUPPRESSED))
        for stage_n, correct, share, label in (
            (q.all_before, q.all_before_correct, q.all_share_before, "before"),
            (q.all_after, q.all_after_correct, q.all_share_after, "after"),
        ):
            if stage_n >= MIN_READERS:
                writer.writerow(
                    _row(f"question (all attempts {label} reading, unmatched)", **base,
                         item=item, objective=objective, n=stage_n,
                         **{label: correct, f"% {label}": share})
                )  # fmt: skip
    for o in group.objectives:
        item = f"O{o.info.number}. {o.info.text}" if o.info else "questions without an objective"
        if not o.info:
            continue
        if not o.is_shown:
            writer.writerow(_row("objective (matched pairs)", **base, item=item, n=SUPPRESSED))
            continue
        writer.writerow(
            _row("objective (matched pairs)", **base, item=item, objective=o.info.number,
                 n=o.readers, before=o.correct_before, after=o.correct_after,
                 **{"% before": o.share_before, "% after": o.share_after},
                 test=f"sign test: {o.improved} improved, {o.worsened} worse, "
                      f"{o.unchanged} unchanged",
                 p_value=p_value(o.sign_test_p))
        )  # fmt: skip
    confidence = group.confidence
    if confidence and confidence.n >= MIN_READERS:
        writer.writerow(
            _row("confidence (matched pairs, 1–5)", **base, item="mean confidence",
                 n=confidence.n, before=fixed(confidence.mean_before),
                 after=fixed(confidence.mean_after), change=fixed(confidence.mean_change),
                 test="Wilcoxon signed-rank", p_value=p_value(confidence.wilcoxon_p))
        )  # fmt: skip
    if group.intent_answers >= MIN_READERS:
        for label, n, share in group.intent_rows:
            writer.writerow(
                _row("intent to change practice", **base, item=str(label),
                     n=group.intent_answers, after=n, **{"% after": share})
            )  # fmt: skip


def _pct(part, whole):
    return percent(part, whole)


def _objective_number(report, objective_id):
    return next((o.number for o in report.objectives if o.pk == objective_id), "")


# -- One row per participant × question × stage ------------------------------------------

LONG_HEADER = [
    "participant", "stage", "taken on", "question", "question text", "objective",
    "objective text", "profession", "specialty", "country", "choices picked", "correct",
    "confidence", "intent",
]  # fmt: skip


def strata_release(attempts):
    """{(profession, specialty, country): what the long CSV may show for it}.

    A value held by fewer than MIN_READERS readers of the quiz is suppressed on its
    own; then a combination still that rare loses its country, then its specialty,
    then its profession, until it stands for at least MIN_READERS readers.
    """
    names = ("profession", "specialty", "country")
    triples = {
        (r["profession"], r["specialty"], r["country"]): r["n"]
        for r in attempts.values(*names).annotate(n=Count("participant", distinct=True))
    }
    common_values = [
        {
            r[name]
            for r in attempts.values(name).annotate(n=Count("participant", distinct=True))
            if r["n"] >= MIN_READERS
        }
        for name in names
    ]
    hidden = "suppressed"

    def generalise(triple, level):
        kept = [v if v in common_values[i] else hidden for i, v in enumerate(triple)]
        for i in range(level):
            kept[len(kept) - 1 - i] = hidden
        return tuple(kept)

    counts = [Counter() for _level in range(4)]
    for triple, n in triples.items():
        for level in range(4):
            counts[level][generalise(triple, level)] += n
    release = {}
    for triple in triples:
        for level in range(4):
            key = generalise(triple, level)
            if counts[level][key] >= MIN_READERS or level == 3:
                release[triple] = key if counts[level][key] >= MIN_READERS else (hidden,) * 3
                break
    return release


class _Echo:
    def write(self, value):
        return value


def long_csv_response(quiz, filename, since=None, until=None):
    """A streamed download: one row per participant, question and stage."""
    questions, objectives = quiz_layout(quiz)
    by_pk = {q.pk: q for q in questions}
    objective = {o.pk: o for o in objectives}
    low, high = _bounds(since, until)
    attempts = Attempt.objects.filter(quiz=quiz).counted().filter(_in_range("", low, high))
    release = strata_release(attempts)
    answers = (
        Answer.objects.filter(attempt__in=attempts)
        .values_list(
            "question_id", "picked", "is_correct", "attempt__participant", "attempt__stage",
            "attempt__created_at", "attempt__profession", "attempt__specialty",
            "attempt__country", "attempt__confidence", "attempt__intent",
        )
        .order_by("attempt__participant", "-attempt__stage", "question_id")
    )  # fmt: skip

    def rows():
        writer = GuardedWriter(_Echo())
        yield writer.writerow(LONG_HEADER)
        for (
            question_id,
            picked,
            correct,
            participant,
            stage,
            taken,
            *strata,
            conf,
            intent,
        ) in answers.iterator(chunk_size=5000):
            info = by_pk.get(question_id)
            if info is None:
                continue
            target = objective.get(info.objective_id)
            yield writer.writerow(
                [
                    participant,
                    "before" if stage == PRE else "after",
                    timezone.localtime(taken).date().isoformat(),
                    info.number,
                    info.text,
                    target.number if target else "",
                    target.text if target else "",
                    *release.get(tuple(strata), ("suppressed",) * 3),
                    info.letters(picked),
                    int(correct),
                    conf if conf is not None else "",
                    intent,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
