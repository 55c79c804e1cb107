"""A quiz's per-reader file, built by the task worker."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from quizzes.models.quiz import Quiz


class AnswersExport(models.Model):
    """A quiz's per-reader file (quizzes.exports), built by the task worker.

    At 100,000 attempts it holds a million rows: longer to write than a request may
    take, so an editor asks for it, the worker writes it (gzip-compressed, here in the
    database: it is pseudonymous outcome data and must not sit in public media), and
    the report page links to it once it is ready. Always the whole quiz, all time, so
    files of different windows cannot be set side by side (quizzes.disclosure); for
    the hubs it was asked for (`hubs`: their ids, "1,3"; "" every hub), each shown
    only to those looking at the same hubs.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    KEEP = 5  # the newest files kept per quiz

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="answer_exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    content = models.BinaryField(editable=False, default=b"")
    hubs = models.CharField(_("hubs counted"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("per-reader file")
        verbose_name_plural = _("per-reader files")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.quiz} ({self.requested_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def scope(hubs):
        """The `hubs` value for a set of hub ids (None: every hub)."""
        return "" if hubs is None else ",".join(str(pk) for pk in sorted(hubs))

    def hub_ids(self):
        return None if not self.hubs else {int(pk) for pk in self.hubs.split(",")}
