"""The outcomes as CSV: a summary with counts and P values, and a per-reader file.

Both go through common.exports.GuardedWriter (no cell can run as a spreadsheet
formula) and format numbers with common.numbers, as the page does, so the two agree.
Both open with the report's metadata (activity, period, when generated, the
suppression rule, what was left out), then a blank line, then the table.

The summary withholds what the page withholds (quizzes.disclosure). The per-reader
file is k-anonymous: every combination of profession, specialty, country and start
month it releases is shared by at least MIN_READERS readers, coarsened (month to
quarter to year, country, specialty, profession) until it is; dates are never exact.
"""

import csv
import gzip
import io
import logging
import zlib
from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, DateField
from django.db.models.functions import TruncMonth
from django.http import StreamingHttpResponse
from django.utils import timezone

from common.exports import GuardedWriter, guard
from common.numbers import fixed, p_value, percent
from common.tasks import next_attempt, task
from quizzes.disclosure import MIN_READERS, rule_text
from quizzes.figures import STRATA, Moore
from quizzes.models import Answer, AnswersExport, Attempt
from quizzes.report import PRE, quiz_layout

logger = logging.getLogger(__name__)

SUMMARY_HEADER = [
    "section", "breakdown", "group", "readers", "item", "objective", "measures",
    "Moore level", "unit", "n", "before", "after", "% before", "% after", "change",
    "relative change %", "SD of change", "95% CI low", "95% CI high",
    "improved", "unchanged", "worsened",
    "right→right", "right→wrong", "wrong→right", "wrong→wrong",
    "test", "statistic name", "statistic", "df", "p value",
    "effect size d_z", "d_z label", "effect size d_av", "d_av label", "flag", "note",
]  # fmt: skip
WITHHELD = (
    "withheld: fewer than 5 readers, or to keep a smaller group from being had by subtraction"
)
ROUNDED = "shares are rounded and may not add up to 100%"


def metadata(report, what):
    """The lines every CSV opens with, then a blank line."""
    return [
        ["Hub outcomes report", what],
        ["Activity", f"{report.title} (quiz on “{report.article_title}”)"],
        ["Period", str(report.period_label)],
        ["Generated at", (report.generated_at or timezone.now()).isoformat(timespec="seconds")],
        ["Suppression rule", rule_text()],
        ["Window and pairs", report.window_rule],
        ["Exclusions", report.exclusions],
        ["Statistics", "Wilcoxon signed-rank: exact distribution (ties included) up to 50 "
                       "non-zero differences, normal approximation beyond; zero differences "
                       "dropped. McNemar: exact binomial under 25 changes, χ² with continuity "
                       "correction from 25. d_z = mean change / SD of changes; d_av = mean "
                       "change / mean of the SDs before and after; labels after Cohen "
                       "(0.2 small, 0.5 medium, 0.8 large). Rounding: halves up."],
        [],
    ]  # fmt: skip


# -- The summary --------------------------------------------------------------------


def write_summary(reports, stream):
    """`reports`: the overall report first, then one per breakdown (STRATA)."""
    writer = GuardedWriter(stream)
    first = reports[0]
    writer.writerows(metadata(first, "summary with counts and P values"))
    writer.writerow(SUMMARY_HEADER)
    writer.writerow(
        _row("funnel", item="reader-days on the article (unique readers per day, summed)",
             unit="reader-days", n=first.article_reader_days, moore_level=Moore.PARTICIPATION,
             note="the site keeps no identifier across days, so a reader on two days counts "
                  "twice; demo content counts none")
    )  # fmt: skip
    for label, n, _share in first.funnel:
        writer.writerow(
            _row("funnel", item=str(label), unit="readers", moore_level=Moore.PARTICIPATION,
                 n=WITHHELD if n is None else n)
        )  # fmt: skip
    writer.writerow(_row("excluded", item="attempts by staff", unit="attempts",
                         n=first.excluded_staff))  # fmt: skip
    writer.writerow(_row("excluded", item="attempts on demo content", unit="attempts",
                         n=first.excluded_demo))  # fmt: skip
    for report in reports:
        breakdown = str(STRATA[report.by]) if report.by else "all readers"
        for group in report.groups if not report.by else report.strata:
            _write_group(writer, report, breakdown, group)


ALIASES = {
    "pct_before": "% before", "pct_after": "% after", "relative_change_pct": "relative change %",
    "SD_of_change": "SD of change", "CI_low": "95% CI low", "CI_high": "95% CI high",
    "statistic_name": "statistic name", "p_value": "p value", "effect_size_d_z": "effect size d_z",
    "d_z_label": "d_z label", "effect_size_d_av": "effect size d_av", "d_av_label": "d_av label",
    "moore_level": "Moore level",
}  # fmt: skip


def _row(section, **cells):
    row = dict.fromkeys(SUMMARY_HEADER, "")
    row["section"] = section
    for key, value in cells.items():
        column = ALIASES.get(key, key)
        if column not in row:
            raise KeyError(column)
        row[column] = value if isinstance(value, int | float | str) else str(value)
    return [row[column] for column in SUMMARY_HEADER]


def _write_group(writer, report, breakdown, group):
    base = {"breakdown": breakdown, "group": str(group.label)}
    if group.suppressed:
        writer.writerow(_row("group", **base, readers="withheld", note=WITHHELD))
        return
    base["readers"] = group.readers
    _write_scores(writer, report, base, group)
    _write_questions(writer, report, base, group)
    _write_objectives(writer, base, group)
    _write_reflections(writer, base, group)


def _write_scores(writer, report, base, group):
    unmatched = "score (all attempts, unmatched)"
    level = group.moore_level
    if group.counts_shown:
        writer.writerow(_row(unmatched, **base, item="attempts", unit="attempts",
                             before=group.attempts_before, after=group.attempts_after))  # fmt: skip
    for stage, shown_, mean in (
        ("before", group.before_shown, group.mean_before),
        ("after", group.after_shown, group.mean_after),
    ):
        if shown_:
            writer.writerow(_row(unmatched, **base, item=f"mean correct answers {stage} reading",
                                 moore_level=level, unit="correct answers per attempt",
                                 **{stage: fixed(mean)}))  # fmt: skip
    paired = group.paired
    matched = "score (matched pairs)"
    if not (paired and group.pairs_shown):
        writer.writerow(_row(matched, **base, item="mean correct answers", note=WITHHELD))
        return
    total = len(report.questions)
    writer.writerow(
        _row(matched, **base, item=f"mean correct answers (of {total})", moore_level=level,
             unit="correct answers per reader", n=paired.n, before=fixed(paired.mean_before),
             after=fixed(paired.mean_after), change=fixed(paired.mean_change),
             relative_change_pct=fixed(paired.relative_change, 1),
             SD_of_change=fixed(paired.sd_change), CI_low=fixed(paired.ci_low),
             CI_high=fixed(paired.ci_high), improved=paired.improved,
             unchanged=paired.unchanged, worsened=paired.worsened,
             test=f"Wilcoxon signed-rank ({paired.wilcoxon_method})", statistic_name="W",
             statistic=fixed(paired.wilcoxon_w, 1), p_value=p_value(paired.wilcoxon_p))
    )  # fmt: skip
    writer.writerow(
        _row(matched, **base, item="paired t test", moore_level=level,
             unit="correct answers per reader", n=paired.n, change=fixed(paired.mean_change),
             SD_of_change=fixed(paired.sd_change), CI_low=fixed(paired.ci_low),
             CI_high=fixed(paired.ci_high), test="paired t", statistic_name="t",
             statistic=fixed(paired.t), df=paired.df, p_value=p_value(paired.t_p),
             effect_size_d_z=fixed(paired.d_z), d_z_label=paired.d_z_label,
             effect_size_d_av=fixed(paired.d_av), d_av_label=paired.d_av_label)
    )  # fmt: skip
    headline = "headline (matched pairs)"
    writer.writerow(_row(headline, **base, item="% correct", moore_level=level,
                         unit="% of answers", n=paired.n,
                         pct_before=group.share_correct_before,
                         pct_after=group.share_correct_after,
                         relative_change_pct=fixed(paired.relative_change, 1)))  # fmt: skip
    shares = group.learner_shares
    writer.writerow(_row(headline, **base, item="learners improved / unchanged / worsened",
                         moore_level=level, unit="% of readers", n=paired.n,
                         improved=shares["improved"], unchanged=shares["unchanged"],
                         worsened=shares["worsened"],
                         note="" if group.learner_shares_add_up else ROUNDED))  # fmt: skip
    for kind, result in (("knowledge", group.knowledge), ("competence", group.competence)):
        if result:
            answers, before, after = result
            writer.writerow(_row(headline, **base, item=f"% correct, {kind} questions",
                                 measures=kind,
                                 moore_level=Moore.KNOWLEDGE if kind == "knowledge"
                                 else Moore.COMPETENCE,
                                 unit="% of answers", n=answers, pct_before=before,
                                 pct_after=after))  # fmt: skip
    if group.confidence_pairs and group.confidence_shown:
        writer.writerow(_row(headline, **base, item="confident (4–5 of 5)",
                             moore_level=Moore.SELF_COMPETENCE, unit="% of readers",
                             n=group.confidence_pairs, pct_before=group.confident_before,
                             pct_after=group.confident_after))  # fmt: skip


def _write_questions(writer, report, base, group):
    for q in group.questions:
        item = f"Q{q.info.number}. {q.info.text}"
        info = {"objective": _objective_number(report, q.info.objective_id),
                "measures": q.info.measures, "moore_level": q.info.moore_level}  # fmt: skip
        if q.matched_shown:
            test = q.mcnemar
            writer.writerow(
                _row("question (matched pairs)", **base, item=item, **info, unit="readers",
                     n=q.pairs, before=q.correct_before, after=q.correct_after,
                     pct_before=q.share_before, pct_after=q.share_after,
                     change=q.change_points, **{"right→right": q.right_right,
                     "right→wrong": q.right_wrong, "wrong→right": q.wrong_right,
                     "wrong→wrong": q.wrong_wrong},
                     test=f"McNemar {test.method}" if test else "",
                     statistic_name="χ²" if test and test.statistic is not None else "",
                     statistic=fixed(test.statistic) if test else "",
                     p_value=p_value(test.p) if test else "",
                     flag="worse after reading" if q.got_worse else "",
                     note="change = % after − % before, in points")
            )  # fmt: skip
            for c in q.choices:
                label = f"Q{q.info.number}{c.choice.letter}. {c.choice.text}"
                writer.writerow(
                    _row("choice (matched pairs)", **base,
                         item=label + (" (correct)" if c.choice.is_correct else ""),
                         objective=info["objective"], unit="readers", n=q.pairs,
                         before=c.before, after=c.after, pct_before=percent(c.before, q.pairs),
                         pct_after=percent(c.after, q.pairs))
                )  # fmt: skip
        else:
            writer.writerow(_row("question (matched pairs)", **base, item=item, **info,
                                 note=WITHHELD))  # fmt: skip
        for stage_n, correct, share, label, shown_ in (
            (q.all_before, q.all_before_correct, q.all_share_before, "before", q.before_shown),
            (q.all_after, q.all_after_correct, q.all_share_after, "after", q.after_shown),
        ):
            if shown_:
                writer.writerow(
                    _row(f"question (all attempts {label} reading, unmatched)", **base,
                         item=item, **info, unit="attempts", n=stage_n,
                         **{label: correct, f"pct_{label}": share})
                )  # fmt: skip


def _write_objectives(writer, base, group):
    for o in group.objectives:
        if not o.info:
            continue
        item = f"O{o.info.number}. {o.info.text}"
        common = {**base, "item": item, "objective": o.info.number,
                  "moore_level": o.moore_level if o.questions else ""}  # fmt: skip
        if not o.has_questions:
            writer.writerow(_row("objective (matched pairs)", **common,
                                 note="no questions test this objective"))  # fmt: skip
            continue
        if not o.is_shown:
            writer.writerow(_row("objective (matched pairs)", **common, note=WITHHELD))
            continue
        writer.writerow(
            _row("objective (matched answers)", **common, unit="answers (readers × questions)",
                 n=o.answers, before=o.correct_before, after=o.correct_after,
                 pct_before=o.share_before, pct_after=o.share_after)
        )  # fmt: skip
        writer.writerow(
            _row("objective (matched readers, sign test)", **common, unit="readers",
                 n=o.readers, improved=o.improved, unchanged=o.unchanged, worsened=o.worsened,
                 test="sign test", p_value=p_value(o.sign_test_p),
                 note="readers whose sub-score on the objective's questions rose, held or fell")
        )  # fmt: skip


def _write_reflections(writer, base, group):
    confidence = group.confidence
    if confidence and group.confidence_shown:
        writer.writerow(
            _row("confidence (matched pairs, 1–5)", **base, item="mean confidence",
                 moore_level=Moore.SELF_COMPETENCE, unit="points on a 1–5 scale",
                 n=confidence.n, before=fixed(confidence.mean_before),
                 after=fixed(confidence.mean_after), change=fixed(confidence.mean_change),
                 SD_of_change=fixed(confidence.sd_change), CI_low=fixed(confidence.ci_low),
                 CI_high=fixed(confidence.ci_high), improved=confidence.improved,
                 unchanged=confidence.unchanged, worsened=confidence.worsened,
                 test=f"Wilcoxon signed-rank ({confidence.wilcoxon_method})",
                 statistic_name="W", statistic=fixed(confidence.wilcoxon_w, 1),
                 p_value=p_value(confidence.wilcoxon_p),
                 effect_size_d_z=fixed(confidence.d_z), d_z_label=confidence.d_z_label,
                 effect_size_d_av=fixed(confidence.d_av), d_av_label=confidence.d_av_label)
        )  # fmt: skip
    if group.intent_shown:
        note = "" if group.intent_adds_up else ROUNDED
        for label, n, share in group.intent_rows:
            writer.writerow(
                _row("intent to change practice", **base, item=str(label),
                     moore_level=Moore.INTENT, unit="readers", n=group.intent_answers,
                     after=n, pct_after=share, note=note)
            )  # fmt: skip


def _objective_number(report, objective_id):
    return next((o.number for o in report.objectives if o.pk == objective_id), "")


# -- The per-reader file: one row per participant × question × stage ---------------------

LONG_HEADER = [
    "participant", "started", "stage", "question", "question text", "measures", "objective",
    "objective text", "profession", "specialty", "country", "choices picked", "correct",
    "confidence", "intent",
]  # fmt: skip
HIDDEN = "withheld"
HIDDEN_ROW = (HIDDEN,) * 4


def _coarsen(key, level):
    """A (profession, specialty, country, month) generalised to one of seven levels."""
    profession, specialty, country, month = key
    quarter = f"{month.year}-Q{(month.month - 1) // 3 + 1}" if month else HIDDEN
    year = str(month.year) if month else HIDDEN
    return [
        (profession, specialty, country, f"{month:%Y-%m}" if month else HIDDEN),
        (profession, specialty, country, quarter),
        (profession, specialty, HIDDEN, quarter),
        (profession, specialty, HIDDEN, year),
        (profession, HIDDEN, HIDDEN, year),
        (profession, HIDDEN, HIDDEN, HIDDEN),
        (HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ][level]


def release(counts, k=MIN_READERS):
    """{quasi-identifiers: what the file shows for them}, from {quasi-identifiers: readers}.

    Each combination is coarsened only as far as it must be: at each level, readers not
    yet released are grouped by their coarsened values, and groups of at least k are
    released; the rest go a level coarser. Readers left over at the last level, if
    fewer than k, take the smallest released group with them, so every released
    combination is shown for at least k readers. Empty when there are fewer than k.
    """
    if sum(counts.values()) < k:
        return {}
    released, remaining = {}, dict(counts)
    for level in range(7):
        classes = Counter()
        for key, n in remaining.items():
            classes[_coarsen(key, level)] += n
        for key in list(remaining):
            shown_as = _coarsen(key, level)
            if classes[shown_as] >= k or level == 6:
                released[key] = shown_as
                del remaining[key]
    everything = _coarsen((None,) * 4, 6)
    sizes = Counter()
    for key, shown_as in released.items():
        sizes[shown_as] += counts[key]
    if 0 < sizes[everything] < k:
        smallest = min((n, str(c), c) for c, n in sizes.items() if c != everything)[2]
        for key, shown_as in released.items():
            if shown_as == smallest:
                released[key] = everything
    return released


def quasi_identifiers(attempts):
    """{(profession, specialty, country, start month): readers}, counted in the database.

    Each reader's attempts share these (a post-test copies its pre-test's), so counting
    pre-tests and post-tests without one counts each reader once.
    """
    month = TruncMonth("started_at", output_field=DateField())
    rows = (
        attempts.filter(score_before__isnull=True)
        .values("profession", "specialty", "country", month=month)
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = Counter()
    for row in rows:
        counts[(row["profession"], row["specialty"], row["country"], row["month"])] += row["n"]
    return counts


def write_answers(quiz, stream, hubs=None):
    """Write the per-reader file of the whole quiz (of the readers who took it on
    `hubs`, ids; None: every hub) to a text stream; returns the rows."""
    from quizzes.report import quiz_report

    questions, objectives = quiz_layout(quiz)
    by_pk = {q.pk: q for q in questions}
    objective = {o.pk: o for o in objectives}
    attempts = Attempt.objects.filter(quiz=quiz).counted()
    if hubs is not None:
        attempts = attempts.filter(hub_id__in=hubs)
    month = TruncMonth("attempt__started_at", output_field=DateField())
    shown_as = release(quasi_identifiers(attempts))
    writer = GuardedWriter(stream)
    what = "one row per reader, question and stage"
    writer.writerows(metadata(quiz_report(quiz, hubs=hubs), what))
    writer.writerow(LONG_HEADER)
    if not shown_as:
        return 0
    answers = (
        Answer.objects.filter(attempt__in=attempts)
        .values_list(
            "question_id", "picked", "is_correct", "attempt__participant", "attempt__stage",
            "attempt__profession", "attempt__specialty", "attempt__country",
            "attempt__confidence", "attempt__intent",
        )
        .annotate(month=month)
        .order_by("attempt__participant", "-attempt__stage", "question_id")
    )  # fmt: skip
    # The same few values repeat a million times: guard and format each once.
    question_cells = {
        pk: [guard(v) for v in (
            info.number, info.text, info.measures,
            objective[info.objective_id].number if info.objective_id in objective else "",
            objective[info.objective_id].text if info.objective_id in objective else "",
        )]
        for pk, info in by_pk.items()
    }  # fmt: skip
    strata_cells = {key: [guard(v) for v in value] for key, value in shown_as.items()}
    letters = {}
    out = csv.writer(stream)
    rows = 0
    for (question_id, picked, correct, participant, stage, profession, specialty, country,
         conf, intent, started) in answers.iterator(chunk_size=10_000):  # fmt: skip
        cells = question_cells.get(question_id)
        if cells is None:
            continue
        if (question_id, picked) not in letters:
            letters[(question_id, picked)] = guard(by_pk[question_id].letters(picked))
        month, *strata = strata_cells.get((profession, specialty, country, started), HIDDEN_ROW)[
            ::-1
        ]
        out.writerow(
            [participant, month, "before" if stage == PRE else "after", *cells, *strata[::-1],
             letters[(question_id, picked)], int(correct), "" if conf is None else conf, intent]
        )  # fmt: skip
        rows += 1
    return rows


def request_answers_export(quiz, user, hubs=None):
    """Queue the per-reader file of a quiz (on `hubs`) for the worker; the oldest beyond
    KEEP go."""
    scope = AnswersExport.scope(hubs)
    export = AnswersExport.objects.create(quiz=quiz, requested_by=user, hubs=scope)
    stale = AnswersExport.objects.filter(quiz=quiz, hubs=scope).order_by("-requested_at", "-pk")
    AnswersExport.objects.filter(
        pk__in=list(stale.values_list("pk", flat=True)[AnswersExport.KEEP :])
    ).delete()
    transaction.on_commit(lambda: build_answers_export.enqueue(export.pk))
    return export


RETRY_DELAYS = [timedelta(minutes=1), timedelta(minutes=10)]


@task(takes_context=True)
def build_answers_export(context, export_id, attempt=1):
    """The worker's task: write the file, gzip-compressed, onto its row."""
    export = AnswersExport.objects.filter(pk=export_id).select_related("quiz").first()
    if export is None or export.status == AnswersExport.Status.READY:
        return {"skipped": export_id}
    try:
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6) as packed:
            text = io.TextIOWrapper(packed, encoding="utf-8", newline="")
            rows = write_answers(export.quiz, text, export.hub_ids())
            text.flush()
            text.detach()
    except Exception as error:
        retry = next_attempt(context, attempt, RETRY_DELAYS, export_id)
        if retry is None:
            AnswersExport.objects.filter(pk=export_id).update(
                status=AnswersExport.Status.FAILED, finished_at=timezone.now()
            )
            logger.error("Gave up on per-reader file %s: %r", export_id, error)
            raise
        return {"retry_at": retry.task.run_after.isoformat(), "error": repr(error)}
    AnswersExport.objects.filter(pk=export_id).update(
        content=buffer.getvalue(),
        rows=rows,
        status=AnswersExport.Status.READY,
        finished_at=timezone.now(),
    )
    return {"rows": rows}


def answers_export_response(export):
    """The file, decompressed as it is sent."""

    def chunks():
        unpack = zlib.decompressobj(wbits=31)
        data = bytes(export.content)
        for start in range(0, len(data), 256 * 1024):
            yield unpack.decompress(data[start : start + 256 * 1024])
        yield unpack.flush()

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(export.finished_at or export.requested_at)
    response["Content-Disposition"] = (
        f'attachment; filename="quiz-{export.quiz_id}-answers-{stamp:%Y%m%d-%H%M}.csv"'
    )
    response["Cache-Control"] = "no-store"
    return response
