"""Queue the follow-ups of commitments to change that are due (30, 60 and 90 days on).

Run it daily from cron, beside the newsletter digest: `manage.py send_follow_ups`.
`manage.py db_worker` sends the emails. Running it again, or a batch again, sends
nobody a second copy (quizzes.follow_ups).
"""

from django.core.management.base import BaseCommand

from quizzes.follow_ups import BATCH_SIZE, STAGES, due, queue_due


class Command(BaseCommand):
    help = "Queue the 30/60/90-day follow-up emails of readers' commitments to change."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count; queue nothing.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, dry_run=False, batch_size=BATCH_SIZE, **options):
        if dry_run:
            for stage in STAGES:
                self.stdout.write(f"{stage} days: {due(stage).distinct().count()} due")
            return
        queued = queue_due(batch_size=batch_size)
        for stage, count in queued.items():
            self.stdout.write(f"{stage} days: {count} follow-up(s) queued")
