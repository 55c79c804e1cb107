"""Disclosure control that survives an attack: subtraction, differencing windows, and the
per-reader file, each tried for real against what the report and its CSVs release."""

import datetime
import random
import re
from collections import Counter

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from quizzes.disclosure import ALL, MIN_READERS, protect_line, protect_table
from quizzes.exports import release
from quizzes.models import Attempt
from quizzes.report import forget_reports, quiz_report
from quizzes.tallies import recount
from tests.quizzes.outcomes_data import Reader, build_known, take_planned
from tests.quizzes.test_report import long_rows, summary_rows

pytestmark = pytest.mark.django_db


def determined(cells, hidden):
    """The withheld cells an attacker can work out exactly from everything else shown.

    Every row, column and the whole add up; shown cells and shown totals are known.
    A withheld cell is determined when its unit vector lies in the row space of the
    constraints restricted to the withheld cells (linear algebra, not just peeling).
    """
    periods = sorted({p for p, _g in cells}, key=str)
    groups = sorted({g for _p, g in cells}, key=str)
    unknown = [key for key in cells if key in hidden]
    index = {key: i for i, key in enumerate(unknown)}
    lines = [[k for k in cells if k[0] == p] for p in periods if (p, ALL) not in hidden]
    lines += [[k for k in cells if k[1] == g] for g in groups if (ALL, g) not in hidden]
    if (ALL, ALL) not in hidden:
        lines.append(list(cells))
    matrix = np.zeros((len(lines), len(unknown)))
    for row, line in enumerate(lines):
        for key in line:
            if key in index:
                matrix[row, index[key]] = 1
    rank = np.linalg.matrix_rank(matrix) if unknown else 0
    found = []
    for key, i in index.items():
        unit = np.zeros((1, len(unknown)))
        unit[0, i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(key)
    return found


def test_one_small_group_takes_the_next_smallest_with_it():
    counts = {"physician": 30, "nurse": 20, "pharmacist": 8, "student": 2}

    assert protect_line(counts) == {"student", "pharmacist"}
    assert protect_line({"a": 30, "b": 3, "c": 4}) == {"b", "c"}
    assert protect_line({"a": 30, "b": 0}) == set()
    assert protect_line({"a": 3, "b": 1}) == {"a", "b"}, "the whole is too small"


def test_no_withheld_cell_of_a_quarter_by_group_table_can_be_solved_for():
    """Random tables of quarters × groups, attacked with every row, column and total."""
    rng = random.Random(7)
    for _trial in range(150):
        periods, groups = rng.randint(1, 5), rng.randint(2, 7)
        cells = {
            (p, g): rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30])
            for p in range(periods)
            for g in range(groups)
        }
        hidden = protect_table(cells)
        for key in determined(cells, hidden):
            assert not 0 < cells[key] < MIN_READERS, (cells, key)
        small = {key for key, n in cells.items() if 0 < n < MIN_READERS}
        assert small <= hidden


def test_subtracting_the_groups_shown_from_all_readers_recovers_no_withheld_group(
    editor_client,
):
    """The auditor's attack on the summary CSV: all readers minus every profession shown."""
    quiz, _plan = build_known()
    rows = summary_rows(editor_client, quiz)
    truth = {g.key: g for g in quiz_report(quiz, by="profession").strata}

    def cells(group, breakdown):
        return [
            [int(r[k]) for k in ("right→right", "right→wrong", "wrong→right", "wrong→wrong")]
            for r in rows
            if r["group"] == group
            and r["breakdown"] == breakdown
            and r["section"] == "question (matched pairs)"
            and r["n"]
        ]

    whole = np.array(cells("All readers", "all readers"))
    shown = [g for g in truth.values() if g.pairs_shown and not g.suppressed]
    withheld = [g for g in truth.values() if g not in shown and g.pairs]
    derived = whole - sum(np.array(cells(str(g.label), "Profession")) for g in shown)

    assert len(withheld) >= 2, "never a single group alone"
    for group in withheld:
        own = np.array([[q.right_right, q.right_wrong, q.wrong_right, q.wrong_wrong]
                        for q in group.questions])  # fmt: skip
        assert not np.array_equal(derived, own), group.label
    assert derived.sum(axis=1).min() >= MIN_READERS, "what is left rests on 5 or more"


def _reader(n, profession="physician", before=(0, 0, 1, 1), after=(0, 0, 0, 0)):
    user = get_user_model().objects.create(
        email=f"w{n}@example.org", profession=profession, specialty="haematology", country="GB"
    )
    return user, Reader(profession, "haematology", "GB", list(before), list(after))


def _started(quiz, user, when):
    Attempt.objects.filter(quiz=quiz, user=user).update(started_at=when, created_at=when)


def test_two_windows_cannot_be_differenced_to_single_out_a_reader(editor_client):
    """Twelve readers in 2025 Q1 and one in Q2. All time minus Q1 would be that one
    reader, so Q2 is withheld and Q1 with it; windows finer than a quarter do not exist."""
    quiz, _plan = build_known()
    Attempt.objects.filter(quiz=quiz).delete()
    q1 = timezone.make_aware(datetime.datetime(2025, 2, 1, 9))
    q2 = timezone.make_aware(datetime.datetime(2025, 5, 1, 9))
    for n in range(13):
        user, reader = _reader(n)
        take_planned(quiz, user, reader)
        _started(quiz, user, q2 if n == 12 else q1)
    recount(quiz.pk)  # attempts moved behind the app's back: count them again
    forget_reports(quiz.pk)
    url = reverse("admin:quizzes_quiz_results", args=[quiz.pk])

    everyone = quiz_report(quiz)
    first, second = quiz_report(quiz, period=q1.date()), quiz_report(quiz, period=q2.date())
    day_range = editor_client.get(url, {"since": "2025-05-01", "until": "2025-05-01"})
    page = editor_client.get(url, {"period": "2025-Q1"})

    assert everyone.overall.readers == 13 and not everyone.overall.suppressed
    assert first.period_withheld and second.period_withheld
    assert "Figures for 2025 Q1 are withheld" in page.content.decode()
    assert "All time</dd>" in day_range.content.decode(), "a day range is not a window"
    csv_q2 = summary_rows(editor_client, quiz, "?period=2025-Q2")
    assert {r["readers"] for r in csv_q2 if r["section"] == "group"} == {"withheld"}


def test_a_reader_whose_profession_changed_counts_once_in_the_group_of_the_pre_test():
    quiz, _plan = build_known()
    user, reader = _reader(99, profession="nurse")
    take_planned(quiz, user, Reader("nurse", "haematology", "GB", reader.before, None))
    user.profession = "physician"
    user.save()
    take_planned(quiz, user, Reader("physician", "haematology", "GB", None, reader.after))
    forget_reports(quiz.pk)

    report = quiz_report(quiz, by="profession")

    groups = {g.key: g for g in report.strata}
    assert sum(g.readers for g in groups.values()) == report.overall.readers == 61
    assert sum(g.pairs for g in groups.values()) == report.overall.pairs == 45
    assert set(Attempt.objects.filter(user=user).values_list("profession", flat=True)) == {"nurse"}


def test_the_per_reader_file_is_k_anonymous_without_exact_dates(editor_client):
    quiz, _plan = build_known()
    # A rare reader: the only pharmacist in France in a quarter of their own.
    user, reader = _reader(77, profession="pharmacist")
    user.country = "FR"
    user.save()
    take_planned(quiz, user, reader)
    _started(quiz, user, timezone.make_aware(datetime.datetime(2024, 8, 3, 9)))
    forget_reports(quiz.pk)

    rows = long_rows(editor_client, quiz)

    readers = {}
    for row in rows:
        readers.setdefault(
            (row["profession"], row["specialty"], row["country"], row["started"]), set()
        ).add(row["participant"])
    assert min(len(who) for who in readers.values()) >= MIN_READERS
    assert all(re.fullmatch(r"\d{4}(-\d\d|-Q\d)?|withheld", r["started"]) for r in rows)
    assert "taken on" not in rows[0]
    assert not any(r["country"] == "FR" for r in rows), "a combination of one is coarsened"
    assert len({r["participant"] for r in rows}) == 61, "nobody dropped"


def test_release_coarsens_only_as_far_as_needed_and_never_leaves_fewer_than_k():
    june, july = datetime.date(2025, 6, 1), datetime.date(2025, 7, 1)
    counts = Counter(
        {
            ("physician", "haematology", "GB", june): 7,
            ("nurse", "haematology", "GB", june): 3,
            ("nurse", "haematology", "ES", june): 2,
            ("pharmacist", "oncology", "ES", july): 4,
            ("student", "other", "DE", july): 1,
        }
    )

    shown = release(counts)

    assert shown[("physician", "haematology", "GB", june)] == (
        "physician", "haematology", "GB", "2025-06"
    )  # fmt: skip
    assert shown[("nurse", "haematology", "GB", june)] == (
        "nurse", "haematology", "withheld", "2025-Q2"
    )  # fmt: skip
    assert shown[("student", "other", "DE", july)] == ("withheld",) * 4
    assert shown[("pharmacist", "oncology", "ES", july)] == ("withheld",) * 4, "with the one"
    released = Counter()
    for key, n in counts.items():
        released[shown[key]] += n
    assert min(released.values()) >= MIN_READERS
    assert release(Counter({("nurse", "", "", june): 4})) == {}


def test_a_withheld_count_cannot_be_had_from_its_linked_counts():
    """Readers = pre-tests + post-tests − matched pairs in every cell: a pair count
    withheld alone would follow from the three shown beside it."""
    from quizzes.disclosure import LINKED, plan_from_counts

    def cell(before, after, pairs):
        return {"readers": before + after - pairs, "before": before, "after": after,
                "pairs": pairs, "confidence": 0, "intent": 0}  # fmt: skip

    counts = {
        ("2026Q1", "physician"): cell(before=40, after=30, pairs=28),
        ("2026Q1", "nurse"): cell(before=12, after=8, pairs=3),  # 3 pairs: withheld
        ("2026Q1", "pharmacist"): cell(before=10, after=9, pairs=7),
    }

    plan = plan_from_counts(counts)

    keys = set(counts) | {(p, ALL) for p, _g in counts} | {(ALL, g) for _p, g in counts}
    keys.add((ALL, ALL))
    for key in keys:
        withheld = [family for family in LINKED if key in plan.hidden[family]]
        assert len(withheld) != 1, (key, withheld)
    assert ("2026Q1", "nurse") in plan.hidden["pairs"]
    # Each family's own table still survives subtraction.
    for family in LINKED:
        cells = {key: n[family] for key, n in counts.items()}
        assert determined(cells, plan.hidden[family]) == []
