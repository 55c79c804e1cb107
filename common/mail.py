"""Email goes out through the task queue, never from the request that asks for it.

`send_later(message)` stores the rendered message as a task; a worker
(`manage.py db_worker`) sends it. A failed send is tried again later, with growing
delays, and given up with an error in the log (and a failed task in the admin) after
the last. With the database queue the task row is written in the caller's transaction:
an email that belongs to work that rolls back is never queued, and work that commits
always has its email queued.

A task whose worker was lost runs again (common.tasks), so an email is sent at most once
per task where we can know it: a SentEmail row is written as soon as the mail server has
it, and a task that finds its row sends nothing. If the worker dies between the two, the
email goes again with the same Message-ID (made from the first task's id, and kept by
its retries), which lets a mail provider drop the second copy.

Queued and sent emails hold their recipients' addresses and names (and a contact
message's sender's): `erase_emails_naming(addresses)` removes them from the queue when
a reader deletes their account, and an email being sent at that moment is neither
retried nor sent again.
"""

import json
import logging
import re
from datetime import timedelta
from email.utils import parseaddr
from functools import reduce
from operator import or_

from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from common.models import SentEmail
from common.tasks import TaskResultStatus, next_attempt, task

logger = logging.getLogger(__name__)

# Waits before the second, third… attempt; after the last of them the send is given up.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# Bulk mail (newsletter digests) waits behind the emails someone is waiting for.
BULK_PRIORITY = -10
# What is left of an email being sent when its recipient's data was erased.
ERASED = {"erased": True}


def message_parts(message):
    """The JSON-serialisable parts of an EmailMessage (the task's argument)."""
    if message.attachments:
        raise ValueError("Emails with attachments cannot be queued.")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "content_subtype": message.content_subtype,
    }


def message_from_parts(parts, cls=EmailMultiAlternatives):
    message = cls(
        subject=parts["subject"],
        body=parts["body"],
        from_email=parts["from_email"],
        to=parts["to"],
        cc=parts["cc"],
        bcc=parts["bcc"],
        reply_to=parts["reply_to"],
        headers=parts["headers"],
        alternatives=[tuple(alternative) for alternative in parts["alternatives"]],
    )
    message.content_subtype = parts["content_subtype"]
    return message


def send_later(message, *, bulk=False):
    """Queue `message` for the worker; returns the task's result handle."""
    queued = deliver_email.using(priority=BULK_PRIORITY) if bulk else deliver_email
    return queued.enqueue(message_parts(message))


class QueuedEmail(EmailMultiAlternatives):
    """A message whose send() queues it: for code that sends what it is handed (allauth)."""

    @classmethod
    def of(cls, message):
        return message_from_parts(message_parts(message), cls)

    def send(self, fail_silently=False):
        send_later(self)
        return 1


def _stamp(message, task_id):
    """Give the message a Message-ID made from the task's id, unless it has one (a retry
    carries the first attempt's)."""
    headers = message["headers"]
    if not any(name.lower() == "message-id" for name in headers):
        domain = parseaddr(message["from_email"])[1].rpartition("@")[2] or "hub.localhost"
        headers["Message-ID"] = f"<{task_id}@{domain}>"


def _erased(task_id):
    """Whether the task's email was erased (its row emptied) since the task started."""
    row = DBTaskResult.objects.filter(pk=task_id).values_list("args_kwargs", flat=True).first()
    return row is None or row["args"][:1] == [ERASED]


@task(takes_context=True)
def deliver_email(context, message, attempt=1):
    """Send one queued email, unless this task sent it already (its worker was lost after
    sending) or it was erased; on failure queue the next attempt, or give up after the last."""
    if message == ERASED:
        return ERASED
    this = context.task_result
    queued = isinstance(this.task.get_backend(), DatabaseBackend)
    if queued and SentEmail.objects.filter(task_result_id=this.id).exists():
        return {"sent_before": True}
    _stamp(message, this.id)
    email = message_from_parts(message)
    try:
        email.send()
    except Exception as error:
        if queued and _erased(this.id):
            return ERASED  # its recipient's data was erased while it was being sent
        retry = next_attempt(context, attempt, RETRY_DELAYS, message)
        if retry is None:
            logger.error(
                "Gave up emailing %r to %s after %d attempt(s), the last as task %s: %r. %s",
                message["subject"],
                ", ".join(message["to"]),
                attempt,
                this.id,
                error,
                "Check the mail server settings (EMAIL_URL), then send it again from the "
                "admin's Task Results."
                if this.task.get_backend().supports_defer
                else "Tasks run at once (HUB_TASKS_IMMEDIATE), so failed sends are not retried.",
            )
            raise
        logger.warning(
            "Could not email %r to %s (attempt %d of %d): %r. Trying again at %s as task %s.",
            message["subject"],
            ", ".join(message["to"]),
            attempt,
            MAX_ATTEMPTS,
            error,
            retry.task.run_after.isoformat(timespec="seconds"),
            retry.id,
        )
        return {
            "retry": retry.id,
            "run_after": retry.task.run_after.isoformat(),
            "error": repr(error),
        }
    if queued:
        SentEmail.objects.get_or_create(task_result_id=this.id)
    return {"sent_to": len(email.recipients())}


def _naming(addresses):
    """Task rows whose arguments, result or traceback name one of `addresses` (an email to
    or about its owner), found by the database and checked whole here: "ada@example.org"
    does not name "ada@example.org.uk" or "sada@example.org"."""
    if not addresses:
        return []
    found = reduce(
        or_,
        (
            Q(args_kwargs__icontains=address)
            | Q(return_value__icontains=address)
            | Q(traceback__icontains=address)
            for address in addresses
        ),
    )
    either = "|".join(re.escape(address) for address in addresses)
    whole = re.compile(rf"(?<![\w.+-])(?:{either})(?![\w-]|\.\w)", re.IGNORECASE)
    return [
        result
        for result in DBTaskResult.objects.filter(found).order_by("enqueued_at")
        if whole.search(
            json.dumps([result.args_kwargs, result.return_value], ensure_ascii=False)
            + result.traceback
        )
    ]


def emails_naming(addresses):
    """The queued and sent emails that name one of `addresses`, for a data export: what
    and when, not the text (which may hold a sign-in link) nor other people's addresses."""
    return [
        {
            "subject": result.args_kwargs["args"][0]["subject"],
            "status": result.status,
            "queued": result.enqueued_at,
            "finished": result.finished_at,
        }
        for result in _naming(addresses)
        if result.task_path == deliver_email.module_path
        and result.args_kwargs["args"][:1] != [ERASED]
    ]


def erase_emails_naming(addresses):
    """Delete every task row that names one of `addresses`: emails waiting, retrying, sent
    or failed. An email being sent has its message emptied instead (its worker still
    writes to the row), so it is neither retried nor, if its worker was lost, sent again."""
    named = [result.pk for result in _naming(addresses)]
    # Emptied first: on PostgreSQL that also locks the rows, so no worker can claim one
    # between the two statements (workers skip locked rows).
    DBTaskResult.objects.filter(pk__in=named, task_path=deliver_email.module_path).update(
        args_kwargs={"args": [ERASED], "kwargs": {}}
    )
    DBTaskResult.objects.filter(pk__in=named).exclude(status=TaskResultStatus.RUNNING).delete()
