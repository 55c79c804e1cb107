"""Queue a newsletter digest for 20,000 subscribers, then run the worker over it.

Builds the data in a throw-away SQLite file, or, with DATABASE_URL set, in a
"test_" database beside that one which it creates and drops afterwards (the
named database itself is never touched). Prints how long queueing the issue takes
and in how many queries, how long the batch tasks take to queue every email, and
that a second run queues nobody. With --send the worker also sends every email
(to Django's in-memory backend) and prints the rate.

    .venv/bin/python bench/digest.py [--subscribers 20000] [--batch-size 500] [--send]
"""

import argparse
import io
import os
import time
from datetime import timedelta

from scratch import ScratchDatabase


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--send", action="store_true", help="also send every email")
    args = parser.parse_args()

    os.environ["HUB_TASKS_IMMEDIATE"] = "off"  # the database queue, as in production
    os.environ["EMAIL_URL"] = "memorymail://"
    database = ScratchDatabase()
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    mail.outbox = []
    from django_tasks_db.models import DBTaskResult

    from articles.models import Article, ArticleType
    from newsletter.models import DigestDelivery, Subscriber

    Article.objects.create(
        title="Bench", slug="bench", summary="s", body="b", status="published",
        article_type=ArticleType.objects.get_or_create(slug="article", name="Article")[0],
        published_at=timezone.now() - timedelta(hours=1),
    )  # fmt: skip
    week_ago = timezone.now() - timedelta(days=7)
    Subscriber.objects.bulk_create(
        (
            Subscriber(email=f"reader{n}@example.org", confirmed_at=week_ago)
            for n in range(args.subscribers)
        ),
        batch_size=5000,
    )
    size = str(args.batch_size)

    def worker(*extra):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", *extra,
                     verbosity=0)  # fmt: skip

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        call_command("send_newsletter_digest", "--batch-size", size, stdout=io.StringIO())
        queued = time.perf_counter() - start
    batches = DBTaskResult.objects.count()
    print(f"{args.subscribers:,} subscribers on {connection.vendor}: issue queued in "
          f"{queued * 1000:.0f} ms as {batches} batch tasks, {len(queries)} queries "
          f"(2 per batch, and {len(queries) - 2 * batches} for the issue and the end)")  # fmt: skip

    start = time.perf_counter()
    worker("--max-tasks", str(batches))  # the batch tasks run first: they were queued first
    took = time.perf_counter() - start
    emails = DBTaskResult.objects.filter(task_path="common.mail.deliver_email").count()
    print(f"batch tasks: {took:.1f} s to record {DigestDelivery.objects.count():,} deliveries "
          f"and queue {emails:,} emails ({took / batches * 1000:.0f} ms per batch)")  # fmt: skip

    call_command("send_newsletter_digest", "--batch-size", size, stdout=io.StringIO())
    again = DBTaskResult.objects.count() - batches - emails
    print(f"second run of the same issue: {again} batch task(s) queued")

    if args.send:
        if connection.vendor == "postgresql":
            # Fresh tables have no statistics yet; autovacuum gathers them within a minute
            # of a large insert, after which the worker's pick uses the queue's index.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {DBTaskResult._meta.db_table}")
        start = time.perf_counter()
        worker()
        took = time.perf_counter() - start
        print(f"worker sent {len(mail.outbox):,} emails in {took:.1f} s "
              f"({len(mail.outbox) / took:.0f} per second, one worker process)")  # fmt: skip
        duplicates = len(mail.outbox) - len({m.to[0] for m in mail.outbox})
        print(f"duplicates: {duplicates}")
    database.close()


if __name__ == "__main__":
    main()
