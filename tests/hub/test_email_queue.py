"""Every email the site sends goes through the task queue, so a mail server that is down
or slow never fails a form; editors find the sends that failed in the admin."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hub.models import ContactMessage
from newsletter.models import Subscriber
from tests.accounts.test_signup import signup_data
from tests.conftest import run_worker

pytestmark = pytest.mark.django_db

WORKING = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def mail_server_down(settings, task_queue):
    settings.EMAIL_BACKEND = "tests.common.failing_email.EmailBackend"


def queued():
    """(subject, recipients) of each email waiting in the queue."""
    return [
        (task.args_kwargs["args"][0]["subject"], task.args_kwargs["args"][0]["to"])
        for task in DBTaskResult.objects.filter(status="READY").order_by("enqueued_at")
    ]


def deliver(settings):
    """The mail server is back and the worker runs."""
    settings.EMAIL_BACKEND = WORKING
    run_worker()
    return mail.outbox


def test_sign_up_answers_and_its_verification_email_waits_for_the_server(
    client, settings, mail_server_down
):
    response = client.post(reverse("account_signup"), signup_data())

    assert response["Location"] == reverse("account_email_verification_sent")
    assert queued() == [
        ("Confirm your email address to finish signing up", ["new.doctor@example.org"])
    ]

    (message,) = deliver(settings)
    confirm = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", message.body).group(1)
    assert client.get(confirm).status_code == 200


def test_sign_up_with_a_registered_address_queues_the_owners_email(
    client, reader, mail_server_down
):
    response = client.post(reverse("account_signup"), signup_data(email=reader.email))

    assert response["Location"] == reverse("account_email_verification_sent")
    assert queued() == [("You already have an account", [reader.email])]


def test_password_reset_answers_and_its_link_waits_for_the_server(
    client, reader, settings, mail_server_down
):
    response = client.post(reverse("account_reset_password"), {"email": reader.email})

    assert response["Location"] == reverse("account_reset_password_done")
    assert queued() == [("Reset your password", [reader.email])]
    (message,) = deliver(settings)
    assert "/accounts/password/reset/key/" in message.body


def test_contact_form_answers_and_staff_are_told_once_the_server_is_back(
    visitor, settings, mail_server_down
):
    settings.HUB_CONTACT_EMAILS = ["editors@example.org"]
    response = visitor.post(
        reverse("contact"),
        {
            "name": "Dr Ada",
            "email": "ada@example.org",
            "subject": "A correction",
            "message": "Reference 3 has the wrong year.",
        },
    )

    assert response["Location"] == reverse("contact_thanks")
    assert ContactMessage.objects.count() == 1
    assert queued() == [("Contact form: A correction", ["editors@example.org"])]
    (message,) = deliver(settings)
    assert message.reply_to == ["ada@example.org"]


def test_newsletter_confirmation_waits_for_the_server(client, settings, mail_server_down):
    response = client.post(reverse("newsletter:subscribe"), {"email": "reader@example.org"})

    assert response["Location"] == reverse("newsletter:check_email")
    assert Subscriber.objects.filter(email="reader@example.org").exists()
    assert queued() == [("Please confirm your subscription", ["reader@example.org"])]
    (message,) = deliver(settings)
    assert "/newsletter/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def given_up_send(settings):
    """A contact notification whose every attempt failed."""
    settings.HUB_CONTACT_EMAILS = ["editors@example.org"]
    settings.EMAIL_BACKEND = "tests.common.failing_email.EmailBackend"
    from django.test import RequestFactory

    from common.mail import MAX_ATTEMPTS
    from hub.contact import _notify_staff

    message = ContactMessage.objects.create(name="A", email="a@example.org", subject="Hi")
    _notify_staff(message, RequestFactory().post("/contact/"))
    for _ in range(MAX_ATTEMPTS):
        run_worker()
        DBTaskResult.objects.filter(status="READY").update(run_after="2000-01-01T00:00Z")
    return DBTaskResult.objects.get(status="FAILED")


def test_editors_find_failed_sends_in_the_admin_and_send_them_again(
    client, make_editor, settings, task_queue
):
    failed = given_up_send(settings)
    client.force_login(make_editor(is_superuser=True))
    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    detail = reverse("admin:django_tasks_database_dbtaskresult_change", args=[failed.pk])

    page = client.get(changelist, {"status__exact": "FAILED"}).content.decode()

    assert "“Contact form: Hi” to editors@example.org (attempt 6)" in page
    assert "SMTPServerDisconnected" in client.get(detail).content.decode()

    settings.EMAIL_BACKEND = WORKING
    response = client.post(
        changelist, {"action": "send_again", "_selected_action": [failed.pk]}, follow=True
    )

    assert "1 email queued again." in response.content.decode()
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Contact form: Hi"]


def test_staff_without_the_permission_do_not_see_the_queue(client, make_editor, task_queue):
    client.force_login(make_editor())

    response = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))

    assert response.status_code == 403
