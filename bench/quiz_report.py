"""Time the editors' quiz report on a quiz with 10,000 attempts.

Builds the data in a throw-away SQLite file, or, with DATABASE_URL set, in a
"test_" database beside that one which it creates and drops afterwards (the
named database itself is never touched). Prints how long quiz_report() takes.

    .venv/bin/python bench/quiz_report.py [--attempts 10000] [--repeat 5]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp.name}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
        original_name = None
    else:
        original_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from articles.models import Article, ArticleType
    from quizzes.models import Answer, Attempt, Choice, Question, Quiz
    from quizzes.report import quiz_report

    article = Article.objects.create(
        title="Bench", slug=f"bench-{uuid.uuid4().hex[:8]}", summary="s", body="b",
        article_type=ArticleType.objects.get_or_create(slug="article", name="Article")[0],
        status="published",
    )  # fmt: skip
    quiz = Quiz.objects.create(article=article, title="Bench quiz", is_published=True)
    questions = [
        Question.objects.create(quiz=quiz, text=f"Q{n}", kind="single", order=n) for n in range(5)
    ]
    for question in questions:
        Choice.objects.create(question=question, text="right", is_correct=True)
        Choice.objects.create(question=question, text="wrong", is_correct=False)

    rng = random.Random(42)
    started = time.perf_counter()
    participants = [uuid.uuid4() for _ in range((args.attempts + 1) // 2)]
    plan = []  # (participant, stage, correct flags): after reading, more answers are right
    for participant in participants:
        for stage, chance in (("before", 0.45), ("after", 0.75)):
            plan.append((participant, stage, [rng.random() < chance for _ in questions]))
    plan = plan[: args.attempts]
    attempts = Attempt.objects.bulk_create(
        [
            Attempt(quiz=quiz, participant=p, stage=stage, score=sum(flags), total=len(flags))
            for p, stage, flags in plan
        ],
        batch_size=2000,
    )
    answers = [
        Answer(attempt_id=attempt.pk, question=q, is_correct=ok)
        for attempt, (_p, _s, flags) in zip(attempts, plan, strict=True)
        for q, ok in zip(questions, flags, strict=True)
    ]
    Answer.objects.bulk_create(answers, batch_size=5000)
    print(f"built {len(attempts):,} attempts and {len(answers):,} answers "
          f"in {time.perf_counter() - started:.1f} s on {connection.vendor}")  # fmt: skip

    timings = []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            report = quiz_report(quiz)
            timings.append(time.perf_counter() - start)
    print(f"quiz_report: min {min(timings) * 1000:.0f} ms, median "
          f"{statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms "
          f"over {args.repeat} runs, {len(queries)} queries each")  # fmt: skip
    print(f"readers {report.readers:,}, pairs {report.pairs:,}, "
          f"mean before {report.mean_before:.2f}, after {report.mean_after:.2f}, "
          f"gain {report.gain:+.2f}")  # fmt: skip
    if original_name:
        connection.creation.destroy_test_db(original_name, verbosity=0)
    tmp.cleanup()


if __name__ == "__main__":
    main()
