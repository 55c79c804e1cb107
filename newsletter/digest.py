"""The newsletter digest: an issue is queued in batches, and each subscriber gets one copy.

`queue_issue` splits the confirmed subscribers into batches, one task each, in a fixed
number of queries per batch. A batch task picks each subscriber's new articles and, in
one transaction, records a DigestDelivery per subscriber and queues their email. The
delivery's unique constraint makes a second run of the issue, or of a batch, skip
whoever already has their copy.

Articles are matched to the subscriber's interests (a topic includes its subtopics);
a subscriber with no interests gets every new article. Nobody gets an empty email.

Each hub has its issues: an issue goes to the hub's subscribers, with what the hub
publishes, in its brand and with links to its address (the batch runs as that hub).
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Topic
from common.mail import BULK_PRIORITY, send_later
from common.tasks import task
from hubs import directory as hubs
from newsletter.emails import absolute, message
from newsletter.models import DigestDelivery, DigestIssue, Subscriber

BATCH_SIZE = 500
MAX_ARTICLES = 10


def recipients(issue):
    """Confirmed subscribers who do not have this issue yet, oldest first."""
    subscribers = Subscriber.objects.filter(
        hub_id=issue.hub_id, confirmed_at__isnull=False, confirmed_at__lte=issue.cut_off
    ).order_by("pk")
    if issue.pk is None:  # a dry run before the day's issue exists
        return subscribers
    return subscribers.exclude(digest_deliveries__issue=issue)


def batches(issue, size=BATCH_SIZE):
    """Lists of subscriber ids, one query each (keyset pagination: no growing OFFSET)."""
    ids = recipients(issue).values_list("pk", flat=True)
    last = 0
    while batch := list(ids.filter(pk__gt=last)[:size]):
        yield batch
        last = batch[-1]


def queue_issue(issue, size=BATCH_SIZE):
    """Queue one task per batch of subscribers; returns how many subscribers were queued."""
    queued = 0
    for batch in batches(issue, size):
        send_issue_to.enqueue(issue.pk, batch)
        queued += len(batch)
    return queued


def new_articles(issue, subscribers):
    """[(subscriber, articles)] for those of `subscribers` with something new in `issue`
    (what the issue's hub publishes)."""
    if not subscribers:
        return []
    since = {s.pk: s.last_digest_at or s.confirmed_at for s in subscribers}
    candidates = list(
        Article.objects.published(issue.hub_id)
        .filter(published_at__gt=min(since.values()), published_at__lte=issue.cut_off)
        .order_by("-published_at")
        .prefetch_related("topics")
    )
    topics = list(Topic.objects.on_hub(issue.hub_id))
    found = []
    for subscriber in subscribers:
        interests = list(subscriber.interests.all())
        family = {pk for topic in interests for pk in topic.family_ids(topics)}
        articles = [
            article
            for article in candidates
            if article.published_at > since[subscriber.pk]
            and (not family or family & {topic.pk for topic in article.topics.all()})
        ][:MAX_ARTICLES]
        if articles:
            found.append((subscriber, articles))
    return found


def digest_email(subscriber, articles):
    return message(
        subscriber,
        _("New articles for you"),
        "newsletter/email/digest",
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


@task(priority=BULK_PRIORITY)
def send_issue_to(issue_id, subscriber_ids):
    """Queue the issue's email for each of these subscribers who does not have it yet."""
    issue = DigestIssue.objects.get(pk=issue_id)
    with hubs.activated(hubs.directory().speaking_for(issue.hub_id)):  # its brand, its links
        return _send(issue, subscriber_ids)


def _send(issue, subscriber_ids):
    subscribers = list(
        recipients(issue).filter(pk__in=subscriber_ids).prefetch_related("interests")
    )
    digests = new_articles(issue, subscribers)
    served = [subscriber for subscriber, articles in digests]
    try:
        with transaction.atomic():
            DigestDelivery.objects.bulk_create(
                DigestDelivery(issue=issue, subscriber=subscriber) for subscriber in served
            )
            Subscriber.objects.filter(pk__in=[s.pk for s in served]).update(
                last_digest_at=issue.cut_off
            )
            for subscriber, articles in digests:
                send_later(digest_email(subscriber, articles), bulk=True)
    except IntegrityError:
        # Another run of this issue reached some of them first: serve only the rest.
        return _send(issue, subscriber_ids)
    return len(digests)
