"""Queue today's newsletter digest for every confirmed subscriber who has not had it.

The issue of the day is a row (DigestIssue); the subscribers are queued in batches,
one task each, and `manage.py db_worker` sends the emails. Running the command again
the same day, or a batch again, sends nobody a second copy. Run it from cron, e.g.
weekly: `manage.py send_newsletter_digest`.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from newsletter.digest import BATCH_SIZE, batches, new_articles, queue_issue
from newsletter.models import DigestIssue, Subscriber


class Command(BaseCommand):
    help = "Queue the newsletter digest of new articles for confirmed subscribers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get what; queue nothing."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help="Subscribers per task (default: %(default)s).",
        )

    def handle(self, *args, dry_run=False, batch_size=BATCH_SIZE, **options):
        today, now = timezone.localdate(), timezone.now()
        if dry_run:
            issue = DigestIssue.objects.filter(date=today).first()
            self.dry_run(issue or DigestIssue(date=today, cut_off=now), batch_size)
            return
        issue, _created = DigestIssue.objects.get_or_create(date=today, defaults={"cut_off": now})
        queued = queue_issue(issue, batch_size)
        self.stdout.write(
            f"Digest of {issue.date}: {queued} subscriber(s) queued in batches of {batch_size}."
        )

    def dry_run(self, issue, batch_size):
        for batch in batches(issue, batch_size):
            subscribers = Subscriber.objects.filter(pk__in=batch).prefetch_related("interests")
            for subscriber, articles in new_articles(issue, list(subscribers)):
                self.stdout.write(f"{subscriber.email}: {len(articles)} article(s)")
