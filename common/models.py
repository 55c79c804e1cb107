"""What the task worker must remember beyond django-tasks-db's own rows."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class SentEmail(models.Model):
    """The email of one queued task was handed to the mail server.

    Written as soon as the server takes it, so a task run again after its worker was lost
    (common.tasks.recover_stalled) does not send it a second time. It goes with its task
    row (pruning, erasure).
    """

    task_result = models.OneToOneField(
        DBTaskResult,
        verbose_name=_("task"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("handed to the mail server"), default=timezone.now)

    class Meta:
        verbose_name = _("sent email")
        verbose_name_plural = _("sent emails")

    def __str__(self):
        return f"{self.task_result_id} {self.sent_at:%Y-%m-%d %H:%M:%S}"
