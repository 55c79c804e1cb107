"""Email through the task queue: kept while no worker runs, retried later, given up loudly."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from common.mail import MAX_ATTEMPTS, RETRY_DELAYS, message_from_parts, message_parts, send_later
from tests.conftest import run_worker

pytestmark = pytest.mark.django_db

FAILING = "tests.common.failing_email.EmailBackend"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


def welcome(to="reader@example.org", subject="Welcome"):
    return EmailMessage(subject, "Hello and welcome.", to=[to])


def waiting():
    return DBTaskResult.objects.filter(status="READY")


def come_due(result):
    """Let time pass until a retry is due."""
    result.run_after = timezone.now() - timedelta(seconds=1)
    result.save(update_fields=["run_after"])


def test_every_part_of_a_message_survives_the_queue():
    original = EmailMultiAlternatives(
        "Subject ✓",
        "Plain body",
        "Hub <noreply@example.org>",
        ["a@example.org"],
        bcc=["b@example.org"],
        cc=["c@example.org"],
        reply_to=["d@example.org"],
        headers={"List-Unsubscribe": "<https://example.org/leave/>"},
    )
    original.attach_alternative("<p>HTML body</p>", "text/html")

    parts = json.loads(json.dumps(message_parts(original)))  # what a task row can hold
    copy = message_from_parts(parts)

    for attribute in ("subject", "body", "from_email", "to", "cc", "bcc", "reply_to"):
        assert getattr(copy, attribute) == getattr(original, attribute)
    assert copy.extra_headers == original.extra_headers
    assert copy.alternatives == original.alternatives


def test_an_html_only_message_stays_html():
    original = EmailMessage("Hi", "<p>Hi</p>", to=["a@example.org"])
    original.content_subtype = "html"

    assert message_from_parts(message_parts(original)).content_subtype == "html"


def test_attachments_are_refused_rather_than_dropped():
    message = welcome()
    message.attach("notes.txt", "text", "text/plain")

    with pytest.raises(ValueError, match="attachments"):
        send_later(message)


def test_nothing_is_lost_while_the_worker_is_down(task_queue):
    send_later(welcome())

    (queued,) = waiting()
    assert mail.outbox == [], "queued, not sent"
    assert queued.task_name == "deliver_email"

    run_worker()  # the worker comes back

    (sent,) = mail.outbox
    assert (sent.subject, sent.to) == ("Welcome", ["reader@example.org"])
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_an_email_of_work_that_rolls_back_is_never_queued(task_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_later(welcome())
        raise RuntimeError("the work this email belongs to failed")

    run_worker()

    assert not DBTaskResult.objects.exists() and mail.outbox == []


def test_a_failed_send_is_tried_again_with_growing_delays_then_given_up(
    task_queue, settings, caplog
):
    settings.EMAIL_BACKEND = FAILING
    send_later(welcome())

    delays = []
    for _ in range(MAX_ATTEMPTS - 1):
        before = timezone.now()
        run_worker()
        (retry,) = waiting()
        delays.append(retry.run_after - before)
        come_due(retry)
    run_worker()

    assert [round(delay.total_seconds() / 60) for delay in delays] == [1, 5, 30, 120, 720]
    assert all(
        expected <= d < expected + timedelta(seconds=30)
        for d, expected in zip(delays, RETRY_DELAYS, strict=True)
    )
    attempts = DBTaskResult.objects.order_by("enqueued_at")
    assert [r.args_kwargs["args"][1:] or [1] for r in attempts] == [[n] for n in range(1, 7)]
    assert [r.status for r in attempts] == ["SUCCESSFUL"] * 5 + ["FAILED"]
    assert not waiting().exists() and mail.outbox == []
    assert "Could not email 'Welcome' to reader@example.org (attempt 1 of 6)" in caplog.text
    given_up = [r for r in caplog.records if r.name == "common.mail" and r.levelname == "ERROR"]
    (record,) = given_up
    assert "Gave up emailing 'Welcome' to reader@example.org after 6 attempt(s)" in record.message
    assert "SMTPServerDisconnected" in record.message


def test_a_retry_waits_for_its_time(task_queue, settings):
    settings.EMAIL_BACKEND = FAILING
    send_later(welcome())
    run_worker()

    run_worker()  # straight away: the retry is not due

    assert DBTaskResult.objects.count() == 2
    assert waiting().get().worker_ids == []


def test_a_retry_delivers_once_the_mail_server_is_back(task_queue, settings):
    settings.EMAIL_BACKEND = FAILING
    send_later(welcome())
    run_worker()
    settings.EMAIL_BACKEND = WORKING
    come_due(waiting().get())

    run_worker()

    (sent,) = mail.outbox
    assert sent.subject == "Welcome"
    assert not waiting().exists()


def test_bulk_mail_waits_behind_email_someone_is_waiting_for(task_queue):
    send_later(welcome("subscriber@example.org", "Digest"), bulk=True)
    send_later(welcome("new.reader@example.org", "Confirm your address"))

    run_worker("--max-tasks", "1")

    assert [m.subject for m in mail.outbox] == ["Confirm your address"]


def test_without_a_worker_a_failing_server_is_logged_not_raised(settings, caplog):
    """The immediate backend (`make run`) cannot wait to retry: it says so in the log."""
    settings.EMAIL_BACKEND = FAILING

    send_later(welcome())

    assert "Gave up emailing 'Welcome' to reader@example.org after 1 attempt(s)" in caplog.text
    assert "failed sends are not retried" in caplog.text
