"""Count the outcomes reports' figures again from the attempts and answers themselves.

Each attempt adds itself to its quiz's counts as it is recorded (quizzes.tallies), so
this is never needed in the normal run of things: it is the repair for attempts
changed or loaded behind the app's back (a restore, a hand edit, a bulk import) and
for a change of the site's time zone (quarters are counted in it). Exact: on
PostgreSQL new attempts on the quiz wait while it counts (seconds at 100,000).

    manage.py rebuild_outcome_counts            # every quiz with attempts
    manage.py rebuild_outcome_counts 12 15      # these quizzes
"""

from django.core.management.base import BaseCommand, CommandError

from quizzes.models import Attempt, Quiz
from quizzes.report import forget_reports
from quizzes.tallies import recount


class Command(BaseCommand):
    help = "Count the outcomes reports' figures again, exactly, from attempts and answers."

    def add_arguments(self, parser):
        parser.add_argument("quiz_ids", nargs="*", type=int, help="Quizzes (default: all).")

    def handle(self, *args, quiz_ids=(), **options):
        if quiz_ids:
            missing = set(quiz_ids) - set(Quiz.objects.filter(pk__in=quiz_ids).values_list(
                "pk", flat=True
            ))  # fmt: skip
            if missing:
                raise CommandError(f"No quiz with id {', '.join(map(str, sorted(missing)))}.")
        else:
            quiz_ids = Attempt.objects.values_list("quiz_id", flat=True).distinct().order_by()
        for quiz_id in list(quiz_ids):
            total = recount(quiz_id)
            forget_reports(quiz_id)
            self.stdout.write(f"quiz {quiz_id}: {total} rows of counts")
