"""Queue today's newsletter digest of each hub for every confirmed subscriber who has
not had it.

The issue of the day is a row per hub (DigestIssue); the subscribers are queued in
batches, one task each, and `manage.py db_worker` sends the emails. Running the command
again the same day, or a batch again, sends nobody a second copy. Run it from cron, e.g.
weekly: `manage.py send_newsletter_digest` (`--hub lymphoma` for one hub).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hubs.directory import activated, directory
from newsletter.digest import BATCH_SIZE, batches, new_articles, queue_issue
from newsletter.models import DigestIssue, Subscriber


class Command(BaseCommand):
    help = "Queue the newsletter digest of new articles for confirmed subscribers."

    def add_arguments(self, parser):
        parser.add_argument("--hub", help="Only this hub's digest (its slug).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get what; queue nothing."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help="Subscribers per task (default: %(default)s).",
        )

    def handle(self, *args, dry_run=False, batch_size=BATCH_SIZE, hub=None, **options):
        served = directory().hubs  # hubs with an address: links must reach them
        if hub is not None:
            served = [each for each in served if each.slug == hub]
            if not served:
                raise CommandError(f"No hub with the slug {hub!r} and an address.")
        for each in served:
            with activated(each):
                self.issue(each, dry_run, batch_size)

    def issue(self, hub, dry_run, batch_size):
        today, now = timezone.localdate(), timezone.now()
        if dry_run:
            issue = DigestIssue.objects.filter(hub_id=hub.id, date=today).first()
            issue = issue or DigestIssue(hub_id=hub.id, date=today, cut_off=now)
            self.stdout.write(f"{hub.name}:")
            self.dry_run(issue, batch_size)
            return
        issue, _created = DigestIssue.objects.get_or_create(
            hub_id=hub.id, date=today, defaults={"cut_off": now}
        )
        queued = queue_issue(issue, batch_size)
        self.stdout.write(
            f"{hub.name}, digest of {issue.date}: {queued} subscriber(s) queued "
            f"in batches of {batch_size}."
        )

    def dry_run(self, issue, batch_size):
        for batch in batches(issue, batch_size):
            subscribers = Subscriber.objects.filter(pk__in=batch).prefetch_related("interests")
            for subscriber, articles in new_articles(issue, list(subscribers)):
                self.stdout.write(f"{subscriber.email}: {len(articles)} article(s)")
