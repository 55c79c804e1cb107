"""Every figure right and labelled: each mismatch the outcomes audit found, reproduced."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from scipy import stats as scipy_stats

from articles import reach
from common.numbers import fixed
from quizzes.models import Question
from quizzes.report import build_report, quiz_report
from tests.articles.factories import make_article
from tests.quizzes.factories import SINGLE, make_quiz
from tests.quizzes.outcomes_data import Reader, build_known, take_planned
from tests.quizzes.test_report import flat, summary_rows

pytestmark = pytest.mark.django_db

THREE = [(SINGLE, f"Q{n}?", [("Right", True), ("Wrong", False)]) for n in range(3)]


def readers(quiz, picks, intents=None, confidence=None):
    """Readers who answer (before, after) lists of choice indexes (0 right, 1 wrong)."""
    for n, (before, after) in enumerate(picks):
        user = get_user_model().objects.create(email=f"f{n}@example.org", profession="nurse")
        take_planned(quiz, user, Reader("nurse", "", "", before, after,
                                        confidence[n] if confidence else (None, None)))  # fmt: skip
    if intents:
        from quizzes.models import Attempt

        posts = list(Attempt.objects.filter(quiz=quiz, stage="after").order_by("pk"))
        for post, intent in zip(posts, intents, strict=True):
            post.intent = intent
            post.save()
    from quizzes.report import forget_reports
    from quizzes.tallies import recount

    recount(quiz.pk)  # intents set behind the app's back: count them again
    forget_reports(quiz.pk)


def test_change_in_points_is_the_difference_of_the_shares_shown(editor_client):
    """Q1: 2 of 6 right before (33%), 4 of 6 after (67%): the change reads +34, not +33."""
    quiz = make_quiz(questions=THREE)
    picks = (
        [([0, 0, 0], [0, 0, 0])] * 2 + [([1, 0, 0], [0, 0, 0])] * 2 + [([1, 0, 0], [1, 0, 0])] * 2
    )
    readers(quiz, picks)

    q1 = quiz_report(quiz).overall.questions[0]
    html = flat(
        editor_client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk])).content.decode()
    )
    row = next(r for r in summary_rows(editor_client, quiz) if r["item"] == "Q1. Q0?"
               and r["section"] == "question (matched pairs)")  # fmt: skip

    assert (q1.share_before, q1.share_after, q1.change_points) == (33, 67, 34)
    assert "<td>33%</td><td>67%</td><td>+34</td>" in html
    assert (row["% before"], row["% after"], row["change"]) == ("33", "67", "34")


def test_the_csv_labels_t_and_effect_sizes_and_gives_sd_ci_and_w(editor_client):
    quiz, plan = build_known()
    paired = quiz_report(quiz).overall.paired
    changes = [sum(p == 0 for p in r.after) - sum(p == 0 for p in r.before)
               for r in plan if r.before and r.after]  # fmt: skip

    rows = summary_rows(editor_client, quiz)

    mine = [r for r in rows if r["breakdown"] == "all readers"]
    t_row = next(r for r in mine if r["item"] == "paired t test")
    w_row = next(
        r for r in mine if r["test"].startswith("Wilcoxon") and r["section"].startswith("score")
    )
    t = scipy_stats.ttest_1samp(changes, 0)
    assert (t_row["statistic name"], t_row["statistic"]) == ("t", fixed(t.statistic))
    assert t_row["df"] == str(len(changes) - 1)
    assert t_row["effect size d_z"] == fixed(paired.d_z) != t_row["statistic"]
    assert t_row["d_z label"] in {"negligible", "small", "medium", "large"}
    assert t_row["effect size d_av"] == fixed(paired.d_av) and t_row["d_av label"]
    assert w_row["statistic name"] == "W" and w_row["statistic"] == fixed(paired.wilcoxon_w, 1)
    assert w_row["SD of change"] == fixed(scipy_stats.tstd(changes))
    assert float(w_row["95% CI low"]) < float(w_row["change"]) < float(w_row["95% CI high"])
    assert w_row["unit"] == "correct answers per reader"
    assert w_row["test"] == "Wilcoxon signed-rank (exact)"


def test_objective_rows_keep_one_unit_and_an_untested_objective_says_so(editor_client):
    article = make_article(objectives=["Tested", "Never asked"])
    quiz = make_quiz(article, questions=THREE)
    Question.objects.filter(quiz=quiz).update(objective=article.learning_objectives.first())
    readers(quiz, [([1, 1, 0], [0, 0, 0])] * 6)

    rows = summary_rows(editor_client, quiz)
    html = editor_client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk])).content.decode()

    answers = next(r for r in rows if r["section"] == "objective (matched answers)")
    signs = next(r for r in rows if r["section"] == "objective (matched readers, sign test)")
    untested = next(r for r in rows if r["item"] == "O2. Never asked")
    assert (answers["unit"], answers["n"], answers["before"], answers["after"]) == (
        "answers (readers × questions)", "18", "6", "18"
    )  # fmt: skip
    assert (signs["unit"], signs["n"], signs["improved"]) == ("readers", "6", "6")
    assert untested["note"] == "no questions test this objective"
    assert "No question tests this objective." in html


def test_the_funnel_counts_readers_once_and_labels_reader_days(editor_client, settings):
    settings.HUB_REACH_FLUSH_SECONDS = 0
    quiz = make_quiz(questions=THREE)
    readers(quiz, [([1, 0, 0], [0, 0, 0])] * 5 + [([1, 0, 0], None)] * 2)
    for n in range(9):
        reach.record_read(quiz.article.pk, f"user:{n}")
    demo = make_quiz(questions=THREE, is_demo=True)
    reach.record_read(demo.article.pk, "user:1")

    report, demo_report = quiz_report(quiz), quiz_report(demo)
    html = flat(
        editor_client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk])).content.decode()
    )

    assert [n for _label, n, _share in report.funnel] == [7, 5, 5]
    assert report.article_reader_days == 9 and demo_report.article_reader_days == 0
    assert "The article had 9 reader-days in this period" in html
    assert "Took the quiz before reading</th><td>7</td>" in html


def test_headline_outcomes_with_moore_levels_and_a_flag_on_a_question_that_got_worse(
    editor_client,
):
    quiz = make_quiz(questions=THREE, confidence_question="How confident?", asks_intent=True)
    Question.objects.filter(quiz=quiz, order=2).update(measures="competence")
    picks = [([1, 1, 0], [0, 0, 1])] * 4 + [([1, 0, 0], [0, 0, 0])] * 2 + [([0, 0, 0], [1, 0, 0])]
    confidence = [(2, 4)] * 4 + [(4, 5)] * 2 + [(3, 3)]
    readers(quiz, picks, intents=["yes", "yes", "no", "unsure", "unsure", "already", "already"],
            confidence=confidence)  # fmt: skip

    group = quiz_report(quiz).overall
    html = flat(
        editor_client.get(reverse("admin:quizzes_quiz_results", args=[quiz.pk])).content.decode()
    )
    rows = [r for r in summary_rows(editor_client, quiz) if r["breakdown"] == "all readers"]

    # Before: 4×1 + 2×2 + 1×3 = 11 of 21 (52%); after: 4×2 + 2×3 + 1×2 = 16 of 21 (76%).
    assert (group.share_correct_before, group.share_correct_after) == (52, 76)
    assert group.paired.relative_change == pytest.approx(100 * (16 - 11) / 11)
    assert group.learner_shares == {"improved": 86, "unchanged": 0, "worsened": 14}
    assert (group.confident_before, group.confident_after) == (29, 86)  # 2 of 7, 6 of 7
    assert [q.info.number for q in group.worse_questions] == [3]  # 5 right → 4 right
    assert "52%</td><td>76%</td><td>+45.5% relative change" in html
    assert "Level 4: competence (self-reported confidence)" in html
    assert "Fewer readers answered correctly after reading than before on: Q3." in html
    assert 'Case-based competence (Moore level 4: shows how)">4</abbr>' in html
    q3 = next(
        r for r in rows if r["item"] == "Q3. Q2?" and r["section"] == "question (matched pairs)"
    )
    assert (q3["flag"], q3["measures"], q3["Moore level"]) == (
        "worse after reading", "competence", "Level 4: competence (case-based)"
    )  # fmt: skip
    # Intent: 2, 1, 2, 2 of 7 → 29 + 14 + 29 + 29 = 101: the rounding is said.
    assert "Shares are rounded to whole per cent, so they may not add up to 100%." in html
    intent = [r for r in rows if r["section"] == "intent to change practice"]
    assert {r["note"] for r in intent} == {"shares are rounded and may not add up to 100%"}
    assert next(r for r in rows if r["item"] == "confident (4–5 of 5)")["% after"] == "86"


def test_every_csv_opens_with_the_reports_metadata(editor_client):
    quiz = make_quiz(questions=THREE)
    response = editor_client.get(reverse("admin:quizzes_quiz_results_csv", args=[quiz.pk]))
    head = response.content.decode().split("\r\n\r\n")[0]

    for name in ("Activity", "Period", "Generated at", "Suppression rule", "Exclusions"):
        assert f"\r\n{name}," in head
    assert "All time" in head and "complementary suppression" in head


def test_the_report_and_its_pages_take_a_fixed_number_of_queries(
    editor_client,
    django_assert_max_num_queries,
):
    small = make_quiz(questions=THREE)
    readers(small, [([1, 0, 0], [0, 0, 0])] * 6)
    large, _plan = build_known()
    for quiz in (small, large):
        with django_assert_max_num_queries(9):
            build_report(quiz, by="country")
        from quizzes.report import forget_reports

        forget_reports(quiz.pk)
        with django_assert_max_num_queries(40):
            editor_client.get(
                reverse("admin:quizzes_quiz_results", args=[quiz.pk]), {"by": "country"}
            )
        forget_reports(quiz.pk)
        with django_assert_max_num_queries(80):
            editor_client.get(reverse("admin:quizzes_quiz_results_csv", args=[quiz.pk]))
