"""The digest at scale: queued in batches, one copy per subscriber however often it runs."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletter import digest
from newsletter.models import DigestDelivery, DigestIssue, Subscriber
from tests.articles.factories import make_article
from tests.conftest import run_worker

pytestmark = pytest.mark.django_db

# Finding or making the day's issue (a SELECT, then a savepoint around the INSERT).
QUERIES_FOR_THE_ISSUE = 4


def subscribers(count):
    week_ago = timezone.now() - timedelta(days=7)
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n}@example.org", confirmed_at=week_ago) for n in range(count)
    )


def queue_digest(*args):
    out = io.StringIO()
    call_command("send_newsletter_digest", *args, stdout=out)
    return out.getvalue()


def batch_tasks():
    return DBTaskResult.objects.filter(task_path="newsletter.digest.send_issue_to")


@pytest.mark.parametrize(("count", "size"), [(3000, 500), (3000, 1000), (2001, 500)])
def test_queueing_an_issue_costs_two_queries_per_batch(
    task_queue, django_assert_max_num_queries, count, size
):
    subscribers(count)
    batches = -(-count // size)

    # Per batch: its subscriber ids and the task's row; one more finds no batch left.
    with django_assert_max_num_queries(QUERIES_FOR_THE_ISSUE + 2 * batches + 1):
        output = queue_digest("--batch-size", str(size))

    assert f"{count} subscriber(s) queued in batches of {size}" in output
    sizes = sorted(len(task.args_kwargs["args"][1]) for task in batch_tasks())
    assert sizes == sorted([size] * (count // size) + ([count % size] if count % size else []))
    assert mail.outbox == [], "the worker sends; the command only queues"


def test_running_the_same_issue_twice_sends_each_subscriber_one_copy(task_queue):
    subscribers(300)
    make_article("New CAR T data")

    queue_digest("--batch-size", "120")
    assert mail.outbox == [] and not DigestDelivery.objects.exists()
    run_worker()
    queue_digest("--batch-size", "120")
    run_worker()

    assert len(mail.outbox) == 300
    assert len({message.to[0] for message in mail.outbox}) == 300
    assert all("New CAR T data" in message.body for message in mail.outbox)
    assert DigestIssue.objects.count() == 1
    assert DigestDelivery.objects.count() == 300


def test_a_batch_run_twice_sends_nobody_a_second_copy(task_queue):
    subscribers(3)
    make_article()
    issue = DigestIssue.objects.create(date=timezone.localdate(), cut_off=timezone.now())
    ids = list(Subscriber.objects.values_list("pk", flat=True))

    digest.send_issue_to.enqueue(issue.pk, ids)
    digest.send_issue_to.enqueue(issue.pk, ids)  # e.g. a retried or duplicated task
    run_worker()

    assert sorted(m.to[0] for m in mail.outbox) == [f"reader{n}@example.org" for n in range(3)]


def test_a_subscriber_another_run_reached_first_is_skipped_not_sent_twice(task_queue):
    subscribers(3)
    make_article()
    issue = DigestIssue.objects.create(date=timezone.localdate(), cut_off=timezone.now())
    first = Subscriber.objects.order_by("pk").first()
    find = digest.new_articles

    def another_run_serves_the_first_meanwhile(issue, subscribers):
        found = find(issue, subscribers)
        if not DigestDelivery.objects.exists():
            DigestDelivery.objects.create(issue=issue, subscriber=first)
        return found

    with mock.patch.object(digest, "new_articles", another_run_serves_the_first_meanwhile):
        served = digest.send_issue_to.call(issue.pk, [s.pk for s in Subscriber.objects.all()])

    assert served == 2
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["reader1@example.org", "reader2@example.org"]


def test_who_unsubscribes_before_their_batch_runs_gets_nothing(task_queue):
    subscribers(2)
    make_article()
    queue_digest()

    Subscriber.objects.get(email="reader0@example.org").delete()
    run_worker()

    assert [m.to for m in mail.outbox] == [["reader1@example.org"]]


def test_the_next_issue_brings_only_what_is_new_since_the_last(task_queue):
    month_ago = timezone.now() - timedelta(days=30)
    reader = Subscriber.objects.create(email="reader@example.org", confirmed_at=month_ago)
    make_article("Old news", age=timedelta(days=20))
    make_article("This week's news", age=timedelta(days=1))
    last = DigestIssue.objects.create(
        date=timezone.localdate() - timedelta(days=14), cut_off=timezone.now() - timedelta(days=14)
    )
    digest.send_issue_to.call(last.pk, [reader.pk])

    queue_digest()
    run_worker()

    before, now = mail.outbox
    assert "Old news" in before.body and "This week's news" not in before.body
    assert "This week's news" in now.body and "Old news" not in now.body


def test_dry_run_says_who_would_get_what_and_queues_nothing(task_queue):
    subscribers(2)
    make_article()

    output = queue_digest("--dry-run")

    assert "reader0@example.org: 1 article(s)" in output
    assert not DBTaskResult.objects.exists() and not DigestIssue.objects.exists()


def test_editors_see_how_many_copies_of_each_issue_are_queued(client, make_editor, task_queue):
    subscribers(3)
    make_article()
    queue_digest()
    run_worker()
    client.force_login(make_editor(is_superuser=True))

    page = client.get(reverse("admin:newsletter_digestissue_changelist")).content.decode()

    assert '<td class="field-delivery_count">3</td>' in page
