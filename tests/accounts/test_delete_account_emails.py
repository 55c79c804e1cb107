"""Deleting an account takes the reader out of the task queue: the emails waiting for
them, sent to them or about them (a contact message's notification) are deleted, and
one being sent at that moment is neither retried nor sent again."""

import json
import re
import smtplib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.personal_data import erase_personal_data
from common.mail import send_later
from tests.conftest import declare_hcp, run_worker

pytestmark = pytest.mark.django_db

ADA = "ada@example.com"
WORKING = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def ada(make_user):
    return make_user(ADA, full_name="Dr Ada Lovelace")


def rows_naming(text):
    """Task rows in which `text` appears anywhere, as a whole word or address."""
    whole = re.compile(rf"(?<![\w.]){re.escape(text)}(?![\w.])", re.IGNORECASE)
    return [
        result
        for result in DBTaskResult.objects.all()
        if whole.search(json.dumps([result.args_kwargs, result.return_value]) + result.traceback)
    ]


def delete_account(client, user, password):
    client.force_login(user)
    form = {"password": password, "confirm": "on"}
    response = client.post(reverse("accounts:delete_account"), form)
    assert response.status_code == 302


def test_the_emails_to_and_about_the_reader_leave_the_queue_with_the_account(
    client, visitor, ada, password, settings, task_queue
):
    settings.HUB_CONTACT_EMAILS = ["editors@example.org"]
    send_later(EmailMessage("Sent before", f"Dear Dr Ada Lovelace ({ADA})", to=[ADA]))
    run_worker()  # a finished task keeps the email it sent
    send_later(EmailMessage("Failed", "Hello", to=[ADA.upper()]))
    DBTaskResult.objects.filter(status="READY").update(
        status="FAILED", traceback=f"SMTPRecipientsRefused: {{'{ADA}': (550, b'No')}}"
    )
    declare_hcp(visitor).post(reverse("account_reset_password"), {"email": ADA})
    visitor.post(
        reverse("contact"),
        {"name": "Dr Ada Lovelace", "email": ADA, "subject": "A question", "message": "Hi"},
    )
    send_later(EmailMessage("For Bob", "Hello", to=["bob@example.com"]))
    send_later(EmailMessage("For Sada", "Hello", to=["sada@example.com.au"]))
    assert len(rows_naming(ADA)) == 4
    mail.outbox.clear()

    delete_account(client, ada, password)

    assert rows_naming(ADA) == []
    assert rows_naming("Lovelace") == []
    assert sorted(r.args_kwargs["args"][0]["subject"] for r in DBTaskResult.objects.all()) == [
        "For Bob",
        "For Sada",
    ]
    run_worker()
    assert sorted(m.subject for m in mail.outbox) == ["For Bob", "For Sada"]


def test_an_email_whose_worker_was_lost_is_not_sent_after_the_account_is_gone(
    client, ada, password, settings, task_queue, make_editor
):
    settings.HUB_TASK_LEASE_SECONDS = 60
    queued = send_later(EmailMessage("Your code", "Dear Dr Ada Lovelace", to=[ADA]))
    DBTaskResult.objects.filter(pk=queued.id).update(
        status="RUNNING",
        started_at=timezone.now() - timedelta(minutes=5),
        worker_ids=["killed-worker"],
    )

    delete_account(client, ada, password)
    client.force_login(make_editor(is_superuser=True))
    tasks = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist"))
    run_worker()  # the lease is over: the task runs again

    assert "(erased with its recipient’s account)" in tasks.content.decode()

    assert mail.outbox == []
    assert rows_naming(ADA) == [] and rows_naming("Lovelace") == []
    assert DBTaskResult.objects.get(pk=queued.id).status == "SUCCESSFUL"


class AccountDeletedMidSend(BaseEmailBackend):
    """The reader deletes their account while the mail server is failing their email."""

    def send_messages(self, email_messages):
        user = get_user_model().objects.get(email=ADA)
        erase_personal_data(user)
        user.delete()
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_an_email_failing_while_the_account_is_deleted_is_not_retried(ada, settings, task_queue):
    settings.EMAIL_BACKEND = f"{__name__}.AccountDeletedMidSend"
    send_later(EmailMessage("Your code", "Dear Dr Ada Lovelace", to=[ADA]))

    run_worker()
    settings.EMAIL_BACKEND = WORKING
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()

    assert not get_user_model().objects.exists()
    assert mail.outbox == []
    assert rows_naming(ADA) == [] and rows_naming("Lovelace") == []


def test_the_export_lists_the_emails_queued_for_the_reader(client, ada, task_queue):
    send_later(EmailMessage("Welcome", "Dear Dr Ada Lovelace", to=[ADA]))
    send_later(EmailMessage("For Bob", "Hello", to=["bob@example.com"]))
    client.force_login(ada)

    data = json.loads(client.get(reverse("accounts:export_data")).content)

    assert [(e["subject"], e["status"]) for e in data["emails"]] == [("Welcome", "READY")]
