"""Email each confirmed subscriber the articles published since their last digest.

Articles are matched to the subscriber's interests (a topic includes its subtopics);
a subscriber with no interests gets every new article. Nobody gets an empty email.
Run it from cron, e.g. weekly: `manage.py send_newsletter_digest`.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Topic
from newsletter.emails import absolute, send
from newsletter.models import Subscriber

MAX_ARTICLES = 10


class Command(BaseCommand):
    help = "Send the newsletter digest of new articles to confirmed subscribers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say who would get what; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        topics = list(Topic.objects.all())
        sent = 0
        subscribers = Subscriber.objects.filter(confirmed_at__isnull=False).prefetch_related(
            "interests"
        )
        for subscriber in subscribers:
            since = subscriber.last_digest_at or subscriber.confirmed_at
            articles = Article.objects.published().filter(published_at__gt=since)
            interests = list(subscriber.interests.all())
            if interests:
                family = {pk for topic in interests for pk in topic.family_ids(topics)}
                articles = articles.in_topics(family)
            articles = list(articles.order_by("-published_at")[:MAX_ARTICLES])
            if not articles:
                continue
            if dry_run:
                self.stdout.write(f"{subscriber.email}: {len(articles)} article(s)")
                continue
            send(
                subscriber,
                _("New articles for you"),
                "newsletter/email/digest.txt",
                {
                    "articles": [
                        {
                            "title": article.title,
                            "summary": article.summary,
                            "url": absolute(article.get_absolute_url()),
                        }
                        for article in articles
                    ]
                },
            )
            subscriber.last_digest_at = now
            subscriber.save(update_fields=["last_digest_at"])
            sent += 1
        self.stdout.write(f"Digest sent to {sent} subscriber(s).")
