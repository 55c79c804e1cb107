"""Time the editors' outcomes report on a quiz with 100,000 attempts of 10 questions.

Builds the data in a throw-away SQLite file, or, with DATABASE_URL set, in a
"test_" database beside that one which it creates and drops afterwards (the
named database itself is never touched). Readers start over the last four quarters.
Prints, cold (no cache), how long each page takes to build and render (all readers,
each breakdown, one quarter), the summary CSV (all four reports, written), and the
per-reader file (what the worker does), with the queries each took; then a page from
the cache.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hub .venv/bin/python bench/quiz_report.py
    .venv/bin/python bench/quiz_report.py [--attempts 100000] [--questions 10] [--repeat 5]
"""

import argparse
import datetime
import gzip
import io
import random
import statistics
import time
import uuid

from scratch import ScratchDatabase


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    database = ScratchDatabase()
    from django.db import connection

    try:
        run(args, connection)
    finally:
        database.close()


def run(args, connection):
    quiz, now = build(args, connection)
    measure(args, connection, quiz, now)


def build(args, connection):
    """A quiz with args.attempts attempts of args.questions questions; (quiz, now)."""
    from articles.models import Article, ArticleType, LearningObjective
    from quizzes.models import Answer, Attempt, Choice, Question, Quiz

    article = Article.objects.create(
        title="Bench", slug=f"bench-{uuid.uuid4().hex[:8]}", summary="s", body="b",
        article_type=ArticleType.objects.get_or_create(slug="article", name="Article")[0],
        status="published",
    )  # fmt: skip
    objectives = [
        LearningObjective.objects.create(article=article, text=f"Objective {n}", order=n)
        for n in range(3)
    ]
    quiz = Quiz.objects.create(article=article, title="Bench quiz", is_published=True)
    questions = []
    for n in range(args.questions):
        question = Question.objects.create(
            quiz=quiz, text=f"Q{n}", kind="single", order=n, objective=objectives[n % 3]
        )
        question.choice_ids = [
            Choice.objects.create(question=question, text=t, is_correct=t == "right", order=i).pk
            for i, t in enumerate(["right", "wrong a", "wrong b", "wrong c"])
        ]
        questions.append(question)

    rng = random.Random(42)
    started = time.perf_counter()
    from django.utils import timezone

    now = timezone.now()
    strata = [
        (p, s, c)
        for p in ("physician", "nurse", "pharmacist", "researcher")
        for s in ("haematology", "oncology", "internal-medicine", "other")
        for c in ("GB", "DE", "ES", "FR", "IT", "US")
    ]
    attempts, picks = [], []
    participants = (args.attempts + 1) // 2
    for _ in range(participants):
        participant, (profession, specialty, country) = uuid.uuid4(), rng.choice(strata)
        before = [0 if rng.random() < 0.45 else rng.randint(1, 3) for _q in questions]
        after = [0 if rng.random() < 0.75 else rng.randint(1, 3) for _q in questions]
        start = now - datetime.timedelta(days=rng.randint(0, 360))
        common = dict(quiz=quiz, participant=participant, total=len(questions),
                      profession=profession, specialty=specialty, country=country,
                      started_at=start)  # fmt: skip
        score_before = before.count(0)
        attempts.append(Attempt(stage="before", score=score_before, confidence=rng.randint(1, 3),
                                **common))  # fmt: skip
        picks.append((before, None))
        signs = {}
        for q, question in enumerate(questions):
            change = int(after[q] == 0) - int(before[q] == 0)
            signs[question.objective_id] = signs.get(question.objective_id, 0) + change
        changes = ";".join(f"{o}:{'+' if d > 0 else '-' if d < 0 else '0'}"
                           for o, d in sorted(signs.items()))  # fmt: skip
        attempts.append(Attempt(stage="after", score=after.count(0), score_before=score_before,
                                objective_changes=changes,
                                confidence=rng.randint(2, 5), confidence_before=2,
                                intent=rng.choice(["yes", "already", "no", "unsure"]),
                                **common))  # fmt: skip
        picks.append((after, before))
    attempts, picks = attempts[: args.attempts], picks[: args.attempts]
    attempts = Attempt.objects.bulk_create(attempts, batch_size=5000)

    def answer_rows():
        for attempt, (chosen, before) in zip(attempts, picks, strict=True):
            for q, pick in enumerate(chosen):
                choice_ids = questions[q].choice_ids
                yield (
                    attempt.pk, questions[q].pk, pick == 0, str(choice_ids[pick]),
                    None if before is None else before[q] == 0,
                    "" if before is None else str(choice_ids[before[q]]),
                )  # fmt: skip

    count = _insert_answers(connection, Answer, answer_rows())
    print(f"built {len(attempts):,} attempts and {count:,} answers "
          f"in {time.perf_counter() - started:.1f} s on {connection.vendor}")  # fmt: skip
    # Loaded behind the app's back, so counted for the report as the repair command does
    # (attempts recorded by readers add themselves as they come).
    from quizzes.tallies import recount

    started = time.perf_counter()
    rows = recount(quiz.pk)
    print(f"counted for the report (manage.py rebuild_outcome_counts): {rows:,} rows "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum would do after a load
            cursor.execute("ANALYZE")
    return quiz, now


def measure(args, connection, quiz, now):
    from django.core.cache import cache
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    from quizzes.exports import write_answers, write_summary
    from quizzes.figures import STRATA, quarter_start
    from quizzes.report import quiz_report

    def cold(label, work):
        timings = []
        for _ in range(args.repeat):
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                result = work()
                timings.append(time.perf_counter() - start)
        print(f"{label}, cold: min {min(timings) * 1000:.0f} ms, "
              f"median {statistics.median(timings) * 1000:.0f} ms, "
              f"max {max(timings) * 1000:.0f} ms over {args.repeat} runs, "
              f"{len(queries)} queries each")  # fmt: skip
        return result

    def page(period=None, by=None):
        report = quiz_report(quiz, period, by)
        render_to_string("admin/quizzes/quiz/results.html", {"quiz": quiz, "report": report})
        return report

    report = cold("outcomes page (all readers)", page)
    for by, label in STRATA.items():
        cold(f"outcomes page (by {str(label).lower()})", lambda by=by: page(by=by))
    quarter = quarter_start(now.date())
    cold("outcomes page (this quarter, by country)", lambda: page(quarter, "country"))
    cold("summary CSV (all readers and every breakdown)",
         lambda: write_summary([quiz_report(quiz, None, by) for by in (None, *STRATA)],
                               io.StringIO()))  # fmt: skip
    rows = cold(
        "per-reader file (the worker's part, gzip)", lambda: _answers_file(quiz, write_answers)
    )
    print(f"per-reader file: {rows:,} rows")
    page()
    start = time.perf_counter()
    page()
    print(f"outcomes page from the cache: {(time.perf_counter() - start) * 1000:.1f} ms")
    group = report.overall
    paired = group.paired
    print(f"readers {group.readers:,}, pairs {group.pairs:,}, "
          f"mean change {paired.mean_change:+.2f} (Wilcoxon P {paired.wilcoxon_p:.3g}), "
          f"Q1 {group.questions[0].share_before}% → {group.questions[0].share_after}%")  # fmt: skip


def _answers_file(quiz, write_answers):
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6) as packed:
        text = io.TextIOWrapper(packed, encoding="utf-8", newline="")
        rows = write_answers(quiz, text)
        text.flush()
        text.detach()
    return rows


def _insert_answers(connection, Answer, rows):
    """COPY on PostgreSQL (a million rows in seconds), bulk INSERTs elsewhere."""
    columns = ["attempt_id", "question_id", "is_correct", "picked", "correct_before",
               "picked_before"]  # fmt: skip
    if connection.vendor == "postgresql":
        count = 0
        with connection.cursor() as cursor:
            table = Answer._meta.db_table
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        return count
    batch, count = [], 0
    for row in rows:
        batch.append(Answer(**dict(zip(columns, row, strict=True))))
        if len(batch) == 10_000:
            count += len(Answer.objects.bulk_create(batch))
            batch = []
    count += len(Answer.objects.bulk_create(batch))
    return count


if __name__ == "__main__":
    main()
