"""What the Hub keeps of cookie decisions: bounded, whoever clicks how often.

A logged-in reader's latest decision per group is their proof of consent (one row
each, updated). Anonymous visitors' decisions are only counted per day: their own
proof is the consent cookie in their browser, and a click must not add a row.

Consent is given per hub: its cookie is its host's, and a reader's decision on one hub
is kept apart from their decision on another.
"""

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models.hubs import default_hub as current_hub  # (migrations name it)
from hubs import directory as hubs


class Action(models.TextChoices):
    ACCEPT = "accept", _("Accepted")
    DECLINE = "decline", _("Declined")


class ConsentRecord(models.Model):
    """A reader's latest decision about one cookie group: which version, and when."""

    Action = Action

    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="+",
        default=current_hub,
    )
    group = models.CharField(_("cookie group"), max_length=50)
    version = models.CharField(_("version"), max_length=40)
    action = models.CharField(_("decision"), max_length=7, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consent_records",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "hub", "group"],
                condition=Q(user__isnull=False),
                name="consent_one_record_per_reader_hub_and_group",
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.group} ({self.version})"

    @classmethod
    def remember(cls, user, group, version, action):
        cls.objects.update_or_create(
            user=user,
            hub_id=hubs.current().id,
            group=group,
            defaults={"version": version, "action": action, "created_at": timezone.now()},
        )


class ConsentTally(models.Model):
    """How many anonymous decisions a day, per group and decision."""

    Action = Action

    hub = models.ForeignKey(
        "hubs.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="+",
        default=current_hub,
    )
    day = models.DateField(_("day"))
    group = models.CharField(_("cookie group"), max_length=50)
    action = models.CharField(_("decision"), max_length=7, choices=Action.choices)
    count = models.PositiveIntegerField(_("decisions"), default=0)

    class Meta:
        ordering = ["-day", "group", "action"]
        verbose_name = _("anonymous decisions per day")
        verbose_name_plural = _("anonymous decisions per day")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "hub", "group", "action"], name="consent_one_tally_per_hub_and_day"
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.group} {self.action}: {self.count}"

    @classmethod
    def count_one(cls, group, action):
        day, hub_id = timezone.localdate(), hubs.current().id
        cell = {"day": day, "hub_id": hub_id, "group": group, "action": action}
        for _attempt in range(2):
            if cls.objects.filter(**cell).update(count=F("count") + 1):
                return
            try:
                with transaction.atomic():
                    cls.objects.create(**cell, count=1)
                return
            except IntegrityError:  # another request created today's row first
                continue
