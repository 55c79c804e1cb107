"""The outcomes report: a generated data set with known answers, on the page and in both CSVs."""

import csv
import io
import re
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape
from scipy import stats as scipy_stats

from common.numbers import p_value
from quizzes.models import Answer, Attempt
from quizzes.report import quiz_report
from tests.conftest import Client
from tests.quizzes.factories import ALL_RIGHT, ONE_RIGHT, answers, make_quiz
from tests.quizzes.outcomes_data import Reader, build_known, expected, take_planned

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, make_editor):
    client.force_login(make_editor(is_superuser=True))
    return client


@pytest.fixture
def known():
    return build_known()


def flat(html):
    return re.sub(r">\s+<", "><", html)


def summary_rows(client, quiz, query=""):
    response = client.get(reverse("admin:quizzes_quiz_results_csv", args=[quiz.pk]) + query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def long_rows(client, quiz):
    response = client.get(reverse("admin:quizzes_quiz_answers_csv", args=[quiz.pk]))
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


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
    assert paired.wilcoxon_p == pytest.approx(
        scipy_stats.wilcoxon(changes, zero_method="wilcox", method="approx").pvalue
    )
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
    assert "Profession: Medical student or trainee</h2><p>Fewer than 5 readers" in html
    student = [r for r in summary if r["group"] == "Medical student or trainee"]
    assert [r["readers"] for r in student] == ["suppressed (fewer than 5 readers)"]
    nurse_rows = [
        r for r in summary
        if r["group"] == "Nurse or nurse practitioner"
        and r["section"] == "question (matched pairs)"
    ]  # fmt: skip
    assert nurse_rows[0]["right→wrong"] == str(nurses["questions"][0]["rw"])
    assert "student" not in {r["profession"] for r in rows}
    assert "suppressed" in {r["profession"] for r in rows}


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


def test_the_report_is_cached(known, django_assert_num_queries):
    quiz, _plan = known
    quiz_report(quiz)

    with django_assert_num_queries(0):
        quiz_report(quiz)


def test_the_report_runs_a_fixed_number_of_queries(known, django_assert_max_num_queries):
    from quizzes.report import build_report

    quiz, _plan = known
    # Thirteen aggregates, plus the transaction and its settings on PostgreSQL.
    with django_assert_max_num_queries(18):
        build_report(quiz, by="country")


def test_date_range_filter(editor_client, known):
    import datetime

    from django.utils import timezone

    quiz, _plan = known
    old = timezone.now() - datetime.timedelta(days=40)
    Attempt.objects.filter(quiz=quiz, participant__in=list(
        Attempt.objects.filter(stage="after").values_list("participant", flat=True)[:10]
    )).update(created_at=old)  # fmt: skip
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()

    recent = quiz_report(quiz, since=datetime.date.fromisoformat(since))
    page = editor_client.get(
        reverse("admin:quizzes_quiz_results", args=[quiz.pk]), {"since": since}
    )
    bad = editor_client.get(
        reverse("admin:quizzes_quiz_results", args=[quiz.pk]),
        {"since": "2026-13-45", "until": "x"},
    )

    assert recent.overall.readers == 50
    assert page.status_code == 200 and f'value="{since}"' in page.content.decode()
    assert bad.status_code == 200 and "Enter a valid date." in bad.content.decode()


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
    mean = next(r for r in summary if r["item"] == "mean correct answers" and r["before"])
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
    long = editor_client.get(reverse("admin:quizzes_quiz_answers_csv", args=[quiz.pk]))
    text = summary.content.decode() + b"".join(long.streaming_content).decode()

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
    nurses = expected(plan, {"nurse"})

    html = flat(
        editor_client.get(
            reverse("admin:quizzes_quiz_topic_outcomes", args=[topic.slug]), {"by": "profession"}
        ).content.decode()
    )

    assert "Pooled change by Profession" in html
    assert f"Nurse or nurse practitioner</th><td>{nurses['pairs']}</td>" in html
    assert 'Medical student or trainee</th><td colspan="5">fewer than 5 readers' in html


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
            {"since": "2026-05-01", "until": "2026-01-01"},
        )
    ]
    csvs = [
        editor_client.get(reverse(f"admin:quizzes_quiz_{name}", args=[quiz.pk]))
        for quiz in (empty, untouched)
        for name in ("results_csv", "answers_csv")
    ]

    assert [p.status_code for p in pages] == [200] * 8
    assert "The end of the range is before its start." in pages[3].content.decode()
    assert [c.status_code for c in csvs] == [200] * 4
    assert quiz_report(untouched).overall.paired is None
