"""The outcomes report: a generated data set with known answers, on the page and in both CSVs."""

import csv
import io
import re
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape
from scipy import stats as scipy_stats

from common.numbers import p_value
from quizzes.exports import WITHHELD
from quizzes.models import Answer, AnswersExport, Attempt
from quizzes.report import quiz_report
from tests.conftest import Client
from tests.quizzes.factories import ALL_RIGHT, ONE_RIGHT, answers, make_quiz
from tests.quizzes.outcomes_data import (
    Reader,
    build_known,
    expected,
    take_planned,
    wilcoxon_exact_by_hand,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def known():
    return build_known()


def flat(html):
    return re.sub(r">\s+<", "><", html)


def table(text):
    """The table of a CSV after its metadata block (which ends at the first blank line)."""
    metadata, _blank, rest = text.partition("\r\n\r\n")
    assert metadata.startswith("Hub outcomes report,")
    return list(csv.DictReader(io.StringIO(rest)))


def summary_rows(client, quiz, query=""):
    response = client.get(reverse("admin:quizzes_quiz_results_csv", args=[quiz.pk]) + query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return table(response.content.decode())


def long_text(client, quiz):
    """Ask for the per-reader file (the worker runs at once in tests), then download it."""
    url = reverse("admin:quizzes_quiz_answers_csv", args=[quiz.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(url).status_code == 302
    export = AnswersExport.objects.filter(quiz=quiz).first()
    assert export.status == "ready"
    response = client.get(url, {"export": export.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return b"".join(response.streaming_content).decode()


def long_rows(client, quiz):
    return table(long_text(client, quiz))


def test_matched_figures_and_mcnemar_agree_with_an_independent_calculation(known):
    quiz, plan = known
    want = expected(plan)

    report = quiz_report(quiz)

    group = report.overall
    assert (group.readers, group.pairs) == (60, want["pairs"]) == (60, 44)
    for got, exp in zip(group.questions, want["questions"], strict=True):
        cells = (got.right_right, got.right_wrong, got.wrong_right, got.wrong_wrong)
        assert cells == (exp["rr"], exp["rw"], exp["wr"], exp["ww"])
        assert (got.share_before, got.share_after) == (exp["pct_before"], exp["pct_after"])
        method, chi2, p = exp["mcnemar"]
        assert got.mcnemar.method == method
        assert got.mcnemar.p == pytest.approx(p)
        if chi2 is not None:
            assert got.mcnemar.statistic == pytest.approx(chi2)
        assert [c.before for c in got.choices] == exp["picked_before"]
        assert [c.after for c in got.choices] == exp["picked_after"]
    paired = group.paired
    changes = want["changes"]
    assert paired.mean_change == pytest.approx(sum(changes) / len(changes))
    assert paired.wilcoxon_method == "exact"  # 50 or fewer non-zero changes
    assert paired.wilcoxon_p == pytest.approx(wilcoxon_exact_by_hand(changes))
    assert paired.t_p == pytest.approx(scipy_stats.ttest_1samp(changes, 0).pvalue)
    for got, exp in zip(group.objectives[:2], want["objectives"], strict=True):
        assert (got.improved, got.worsened, got.unchanged) == (
            exp["improved"], exp["worsened"], exp["unchanged"]
        )  # fmt: skip


def test_the_page_shows_the_independent_figures(editor_client, known):
    quiz, plan = known
    want = expected(plan)

    html = flat(
        editor_client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk])).content.decode()
    )

    for n, exp in enumerate(want["questions"], start=1):
        change = exp["pct_after"] - exp["pct_before"]
        row = (
            f"<td>{exp['pairs']}</td><td>{exp['pct_before']}%</td><td>{exp['pct_after']}%</td>"
            f"<td>{'+' if change > 0 else ''}{change}</td><td>{exp['rr']}</td><td>{exp['rw']}</td>"
            f"<td>{exp['wr']}</td><td>{exp['ww']}</td>"
        )
        assert f"Known question {n}?</th>" in html
        assert row in html, n
        assert f"<td>{escape(p_value(exp['mcnemar'][2]))}</td>" in html
    assert "All readers (60 readers)" in html
    assert "Took both (matched pairs)</th><td>44</td>" in html
    assert "style=" not in html.split('id="content-main"')[1], "no inline styles (CSP)"


def test_both_csvs_agree_with_the_independent_figures(editor_client, known):
    quiz, plan = known
    want = expected(plan)

    summary = summary_rows(editor_client, quiz)
    rows = long_rows(editor_client, quiz)

    matched = [
        r for r in summary
        if r["section"] == "question (matched pairs)" and r["breakdown"] == "all readers"
    ]  # fmt: skip
    assert len(matched) == 4
    for row, exp in zip(matched, want["questions"], strict=True):
        assert (row["n"], row["% before"], row["% after"]) == (
            str(exp["pairs"]), str(exp["pct_before"]), str(exp["pct_after"])
        )  # fmt: skip
        cells = [row[k] for k in ("right→right", "right→wrong", "wrong→right", "wrong→wrong")]
        assert cells == [str(exp[k]) for k in ("rr", "rw", "wr", "ww")]
        assert row["p value"] == p_value(exp["mcnemar"][2])
    # From the long CSV alone: pair each participant's stages and count again.
    answers_by = defaultdict(dict)
    for row in rows:
        answers_by[(row["participant"], row["question"])][row["stage"]] = row["correct"]
    for q, exp in enumerate(want["questions"], start=1):
        cells = defaultdict(int)
        for (_participant, question), stages in answers_by.items():
            if question == str(q) and len(stages) == 2:
                key = ("r" if stages["before"] == "1" else "w") + (
                    "r" if stages["after"] == "1" else "w"
                )
                cells[key] += 1
        assert dict(cells) == {k: exp[k] for k in ("rr", "rw", "wr", "ww") if exp[k]}
    assert len(rows) == (52 + 52) * 4
    assert {r["objective"] for r in rows} == {"1", "2", ""}


def test_strata_are_broken_down_and_small_ones_suppressed(editor_client, known):
    quiz, plan = known
    nurses = expected(plan, {"nurse"})

    report = quiz_report(quiz, by="profession")
    html = flat(
        editor_client.get(
            reverse("admin:quizzes_quiz_results", args=[quiz.pk]) + "?by=profession"
        ).content.decode()
    )
    summary = summary_rows(editor_client, quiz)
    rows = long_rows(editor_client, quiz)

    by_key = {g.key: g for g in report.strata}
    assert by_key["nurse"].readers == 20 and by_key["student"].suppressed
    nurse_q1 = by_key["nurse"].questions[0]
    assert (nurse_q1.right_right, nurse_q1.right_wrong, nurse_q1.wrong_right) == (
        nurses["questions"][0]["rr"], nurses["questions"][0]["rw"], nurses["questions"][0]["wr"]
    )  # fmt: skip
    assert "Profession: Nurse or nurse practitioner (20 readers)" in html
    assert "Profession: Medical student or trainee</h2><p>Withheld: fewer than 5 readers" in html
    # Complementary suppression: with the students alone withheld, all readers minus the
    # groups shown would give them, so the next smallest group (pharmacists) goes too.
    assert by_key["pharmacist"].suppressed
    assert "Profession: Pharmacist</h2><p>Withheld" in html
    student = [r for r in summary if r["group"] == "Medical student or trainee"]
    assert [r["readers"] for r in student] == ["withheld"]

    def matched(group):
        return [
            r for r in summary
            if r["group"] == group and r["section"] == "question (matched pairs)"
        ]  # fmt: skip

    # Matched pairs: pharmacists have 2 (withheld), so the next smallest, the nurses'
    # 20, are withheld with them; the physicians' 22 are shown.
    assert by_key["nurse"].readers == 20 and not by_key["nurse"].pairs_shown
    assert {r["note"] for r in matched("Nurse or nurse practitioner")} == {WITHHELD}
    physicians = expected(plan, {"physician"})
    assert matched("Physician")[0]["right→wrong"] == str(physicians["questions"][0]["rw"])
    assert "student" not in {r["profession"] for r in rows}
    assert "withheld" in {r["profession"] for r in rows}


def test_staff_and_demo_attempts_are_left_out(editor_client, make_editor):
    quiz, demo = make_quiz(), make_quiz(is_demo=True)
    plan = Reader("physician", "haematology", "GB", [0, 0, 0], [0, 0, 0])
    staff = make_editor("staff2@example.com")
    for n in range(5):
        user = get_user_model().objects.create(email=f"d{n}@example.org")
        take_planned(demo, user, plan)
    picks = answers(quiz, ONE_RIGHT)
    editor_client.force_login(staff)
    editor_client.post(reverse("quizzes:take", args=[quiz.pk, "before"]), picks)

    report, demo_report = quiz_report(quiz), quiz_report(demo)

    assert Attempt.objects.filter(quiz=quiz).count() == 1
    assert (report.overall.readers, report.excluded_staff) == (0, 1)
    assert (demo_report.overall.readers, demo_report.excluded_demo) == (0, 10)


def test_a_new_attempt_updates_the_cached_report(
    client, make_user, django_capture_on_commit_callbacks
):
    quiz = make_quiz()
    assert quiz_report(quiz).overall.attempts_before == 0
    client.force_login(make_user())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("quizzes:take", args=[quiz.pk, "before"]), answers(quiz, ONE_RIGHT))

    assert quiz_report(quiz).overall.attempts_before == 1


def test_each_groups_section_is_kept_until_the_next_attempt(
    editor_client, make_user, django_capture_on_commit_callbacks
):
    """The sections are rendered once per results version: a new attempt shows at once."""
    quiz = make_quiz()
    url = reverse("admin:quizzes_quiz_results", args=[quiz.pk])
    for n in range(6):
        reader = Client()
        reader.force_login(make_user(f"kept{n}@example.com", profession="nurse"))
        with django_capture_on_commit_callbacks(execute=True):
            reader.post(reverse("quizzes:take", args=[quiz.pk, "before"]),
                        answers(quiz, ONE_RIGHT))  # fmt: skip
    first, again = (flat(editor_client.get(url, {"by": "profession"}).content.decode())
                    for _ in range(2))  # fmt: skip
    spanish = editor_client.get(url, {"by": "profession"}, headers={"accept-language": "es"})

    reader = Client()
    reader.force_login(make_user("kept6@example.com", profession="nurse"))
    with django_capture_on_commit_callbacks(execute=True):
        reader.post(reverse("quizzes:take", args=[quiz.pk, "before"]), answers(quiz, ALL_RIGHT))
    later = flat(editor_client.get(url, {"by": "profession"}).content.decode())

    assert "Profession: Nurse or nurse practitioner (6 readers)" in first
    assert sections(again) == sections(first)
    assert "Profession: Nurse or nurse practitioner (6 readers)" not in spanish.content.decode()
    assert "Profession: Nurse or nurse practitioner (7 readers)" in later


def sections(html):
    """The groups' sections of a results page."""
    return html[html.index('id="group-1"') : html.index('id="evaluation-title"')]


def test_the_report_is_cached(known, django_assert_num_queries):
    quiz, _plan = known
    quiz_report(quiz)

    with django_assert_num_queries(0):
        quiz_report(quiz)


def test_the_report_runs_a_fixed_number_of_queries(known, django_assert_max_num_queries):
    from quizzes.report import build_report

    quiz, _plan = known
    # Three sums of counts (the disclosure plan, attempts, answers), the quiz's
    # objectives, questions and choices, the article's reach, and the transaction.
    with django_assert_max_num_queries(9):
        build_report(quiz, by="country")


def test_a_quarter_holds_whole_pairs_counted_where_their_pre_test_is(editor_client, known):
    """Ten readers took the pre-test in 2024 Q1 and the post-test now: their pairs, and
    their post-tests, belong to 2024 Q1, so no quarter has more pairs than pre-tests."""
    import datetime

    from django.utils import timezone

    quiz, _plan = known
    early = [p for p in Attempt.objects.filter(stage="after", score_before__isnull=False)
             .values_list("participant", flat=True)[:10]]  # fmt: skip
    then = timezone.make_aware(datetime.datetime(2024, 2, 10, 12))
    Attempt.objects.filter(participant__in=early, stage="before").update(created_at=then)
    Attempt.objects.filter(participant__in=early).update(started_at=then)
    from quizzes.report import forget_reports
    from quizzes.tallies import recount

    recount(quiz.pk)  # attempts moved behind the app's back: count them again
    forget_reports(quiz.pk)
    now = timezone.localdate()

    current, past = quiz_report(quiz, period=now), quiz_report(quiz, period=then.date())
    page = editor_client.get(
        reverse("admin:quizzes_quiz_results", args=[quiz.pk]), {"period": "2024-Q1"}
    )
    bad = editor_client.get(
        reverse("admin:quizzes_quiz_results", args=[quiz.pk]), {"period": "2024-05-01"}
    )

    assert (past.overall.readers, past.overall.pairs, past.overall.attempts_before) == (10, 10, 10)
    assert past.overall.attempts_after == 10, "the post-tests go with their pre-tests"
    assert (current.overall.readers, current.overall.pairs) == (50, 34)
    for report in (current, past):
        assert report.overall.pairs <= report.overall.attempts_before
    html = page.content.decode()
    assert page.status_code == 200 and '<option value="2024-Q1" selected>2024 Q1</option>' in html
    assert "Period</dt><dd>2024 Q1</dd>" in flat(html)
    assert bad.status_code == 200 and "Select a valid choice." in bad.content.decode()


def test_half_up_rounding_on_the_page_and_in_the_csv(editor_client, make_user):
    """Seven readers score 2 of 3 and one 3: the mean 17/8 = 2.125 shows as 2.13 (not 2.12)."""
    quiz = make_quiz()
    two_right = [{"DREAMM-7"}, {"Ide-cel", "Teclistamab"}, {"CRS"}]
    for n in range(8):
        reader = Client()
        reader.force_login(make_user(f"half{n}@example.com"))
        picks = ALL_RIGHT if n == 0 else two_right
        reader.post(reverse("quizzes:take", args=[quiz.pk, "before"]), answers(quiz, picks))

    html = flat(
        editor_client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk])).content.decode()
    )
    summary = summary_rows(editor_client, quiz)

    assert f"{round(17 / 8, 2)}" == "2.12", "what Python's round() would show"
    mean = next(r for r in summary if r["item"] == "mean correct answers before reading")
    assert mean["before"] == "2.13"
    assert "<td>8 / 0</td><td>2.13</td>" in html


def test_readers_cannot_see_the_report(client, reader, known):
    quiz, _plan = known
    client.force_login(reader)

    for name in ("results", "results_csv", "answers_csv", "preview"):
        response = client.get(reverse(f"admin:quizzes_quiz_{name}", args=[quiz.pk]))
        assert response.status_code == 302, name


def test_every_csv_cell_is_guarded_against_formulas(editor_client, make_user):
    quiz = make_quiz(
        questions=[("single", '=HYPERLINK("http://x")', [("+1", True), ("@SUM(A1)", False)])]
    )
    for n in range(5):
        reader = Client()
        reader.force_login(make_user(f"f{n}@example.com"))
        reader.post(
            reverse("quizzes:take", args=[quiz.pk, "after"]),
            {f"question_{quiz.questions.get().pk}": str(quiz.questions.get().choices.first().pk)},
        )

    summary = editor_client.get(reverse("admin:quizzes_quiz_results_csv", args=[quiz.pk]))
    text = summary.content.decode() + long_text(editor_client, quiz)

    for cell in csv.reader(io.StringIO(text)):
        for value in cell:
            assert not value.startswith(("=", "+", "@")) or re.fullmatch(r"[+-]?\d+", value)
    assert "'=HYPERLINK" in text


def test_pairs_come_from_real_submissions(client, make_user):
    quiz = make_quiz()
    for n in range(5):
        client.force_login(make_user(f"r{n}@example.com"))
        client.post(reverse("quizzes:take", args=[quiz.pk, "before"]), answers(quiz, ONE_RIGHT))
        client.post(reverse("quizzes:take", args=[quiz.pk, "after"]), answers(quiz, ALL_RIGHT))

    report = quiz_report(quiz)

    assert (report.overall.readers, report.overall.pairs) == (5, 5)
    assert report.overall.paired.mean_change == 2
    assert Answer.objects.filter(correct_before=False).count() == 10


def test_topic_outcomes_pool_the_topics_quizzes(editor_client, known):
    from tests.articles.factories import make_topic

    quiz, plan = known
    topic = make_topic("Myeloma")
    quiz.article.topics.add(topic)
    want = expected(plan)

    quizzes = editor_client.get(reverse("admin:quizzes_quiz_changelist")).content.decode()
    listing = editor_client.get(reverse("admin:quizzes_quiz_topics"))
    page = editor_client.get(reverse("admin:quizzes_quiz_topic_outcomes", args=[topic.slug]))

    assert f'href="{reverse("admin:quizzes_quiz_topics")}">Outcomes by topic</a>' in quizzes
    assert "Myeloma</a> (1 quiz)" in listing.content.decode()
    html = flat(page.content.decode())
    assert page.status_code == 200
    assert f"<td>{want['pairs']}</td>" in html
    assert quiz.title in html


def test_topic_outcomes_break_down_by_stratum(editor_client, known):
    from tests.articles.factories import make_topic

    quiz, plan = known
    topic = make_topic("Myeloma")
    quiz.article.topics.add(topic)
    physicians = expected(plan, {"physician"})

    html = flat(
        editor_client.get(
            reverse("admin:quizzes_quiz_topic_outcomes", args=[topic.slug]), {"by": "profession"}
        ).content.decode()
    )

    assert "Pooled change by Profession" in html
    assert f"Physician</th><td>{physicians['pairs']}</td>" in html
    assert 'Nurse or nurse practitioner</th><td colspan="5">Withheld' in html, "as on the quiz"
    assert 'Medical student or trainee</th><td colspan="5">Withheld: fewer than 5 readers' in html


def test_empty_quizzes_and_odd_filters_do_not_fail(editor_client):
    empty, untouched = make_quiz(questions=[]), make_quiz()
    Attempt.objects.create(quiz=empty, stage="before", score=0, total=0)

    pages = [
        editor_client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk]), query)
        for quiz in (empty, untouched)
        for query in (
            {},
            {"by": "country"},
            {"by": "nonsense"},
            {"period": "2026-Q5"},
        )
    ]
    csvs = [
        editor_client.get(reverse("admin:quizzes_quiz_results_csv", args=[quiz.pk]))
        for quiz in (empty, untouched)
    ]
    files = [long_rows(editor_client, quiz) for quiz in (empty, untouched)]

    assert [p.status_code for p in pages] == [200] * 8
    assert "Select a valid choice." in pages[3].content.decode()
    assert [c.status_code for c in csvs] == [200] * 2
    assert files == [[], []]
    assert quiz_report(untouched).overall.paired is None
