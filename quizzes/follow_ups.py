"""Following up a commitment to change, 30, 60 and 90 days after the post-test.

`queue_due()` (`manage.py send_follow_ups`, daily from cron like the newsletter
digest) finds the commitments whose next follow-up is due and queues them in
batches, one task each. A batch task records a FollowUp per commitment and stage and
queues its email in the same transaction; the FollowUp's unique constraint makes a
second run, of the command or of a batch, send nobody a second copy.

A commitment gets at most one email per stage, in its reader's language, each with a
link to answer (no log-in: a signed token) and one to stop them. A stage is due for 30
days from its day; a run that comes late sends only the latest stage due, and none to
a reader who has said they made the change or asked to hear no more.
"""

from datetime import timedelta

from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from brand.models import current as current_brand
from common.mail import send_later
from common.tasks import task
from hubs import directory as hubs
from quizzes.models import Commitment, FollowUp

STAGES = [stage.value for stage in FollowUp.Stage]
# How long after its day a stage may still be sent (a late or paused scheduler).
WINDOW = timedelta(days=30)
BATCH_SIZE = 500
ANSWER_SALT = "hub.quizzes.follow-up.answer"
STOP_SALT = "hub.quizzes.follow-up.stop"
# An answer link works for as long as the next stage is away, and a while after.
ANSWER_MAX_AGE = 60 * 60 * 24 * 60


def eligible():
    """Commitments whose reader may still be asked: text, a reader, no stop, no change."""
    return (
        Commitment.objects.exclude(text="")
        .filter(user__isnull=False, user__is_active=True, follow_up_stopped_at__isnull=True)
        .exclude(follow_ups__outcome=FollowUp.Outcome.MADE)
    )


def due(stage, now=None):
    """Commitments whose latest stage due is `stage`, and not yet followed up at it."""
    now = now or timezone.now()
    return (
        eligible()
        .filter(
            created_at__lte=now - timedelta(days=stage),
            created_at__gt=now - timedelta(days=stage) - WINDOW,
        )
        .exclude(follow_ups__stage__gte=stage)
    )


def queue_due(now=None, batch_size=BATCH_SIZE):
    """Queue a task per batch of due commitments; {stage: how many queued}."""
    queued = {}
    for stage in STAGES:
        ids = list(due(stage, now).order_by("pk").values_list("pk", flat=True).distinct())
        for start in range(0, len(ids), batch_size):
            send_follow_ups.enqueue(stage, ids[start : start + batch_size])
        queued[stage] = len(ids)
    return queued


@task()
def send_follow_ups(stage, commitment_ids):
    """Record and email the `stage` follow-up of each commitment that still needs it."""
    sent = 0
    commitments = eligible().filter(pk__in=commitment_ids).select_related("user", "quiz__article")
    for commitment in commitments.exclude(follow_ups__stage__gte=stage).distinct():
        # Written for the hub where the reader made it: its brand, links to its address.
        hub = hubs.directory().speaking_for(commitment.hub_id)
        try:
            with hubs.activated(hub), transaction.atomic():
                follow_up = FollowUp.objects.create(commitment=commitment, stage=stage)
                send_later(email(follow_up))
        except IntegrityError:
            continue  # another run of this batch reached it first
        sent += 1
    return sent


def absolute(path):
    return hubs.base_url() + path


def answer_url(follow_up):
    token = signing.dumps(follow_up.pk, salt=ANSWER_SALT)
    return absolute(reverse("quizzes:follow_up", args=[token]))


def stop_url(commitment):
    token = signing.dumps(commitment.user_id, salt=STOP_SALT)
    return absolute(reverse("quizzes:stop_follow_ups", args=[token]))


def load(token, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def email(follow_up):
    commitment = follow_up.commitment
    site_name = current_brand().name
    with translation.override(commitment.language):
        stop = stop_url(commitment)
        body = render_to_string(
            "quizzes/email/follow_up.txt",
            {
                "site_name": site_name,
                "name": commitment.user.get_short_name(),
                "days": follow_up.stage,
                "activity": commitment.quiz.article.title,
                "commitment": commitment.text,
                "answer_url": answer_url(follow_up),
                "stop_url": stop,
            },
        )
        subject = _("How did it go? Your commitment after “%(activity)s”") % {
            "activity": commitment.quiz.article.title
        }
        return EmailMessage(
            subject=f"[{site_name}] {subject}",
            body=body,
            to=[commitment.user.email],
            headers={
                "List-Unsubscribe": f"<{stop}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def stop(user_id):
    """No more follow-up emails to this reader, for any of their commitments so far."""
    return Commitment.objects.filter(user_id=user_id, follow_up_stopped_at__isnull=True).update(
        follow_up_stopped_at=timezone.now()
    )
