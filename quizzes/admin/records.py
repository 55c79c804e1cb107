"""Readers' records, read-only: attempts, evaluations, commitments, follow-ups and
certificates, each where the reader took the quiz. An editor sees their hubs' (and, in
the quiz filters, only the quizzes those records are of)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin
from hubs.scope import HubScopedAdmin
from quizzes.models import Attempt, Certificate, Commitment, Evaluation, FollowUp

QUIZ = ("quiz", admin.RelatedOnlyFieldListFilter)


@admin.register(Attempt)
class AttemptAdmin(HubScopedAdmin, ReadOnlyAdmin):
    """Read-only: attempts are what readers did, evidence for accreditors."""

    list_display = ["quiz", "hub", "stage", "score", "total", "by_staff", "is_demo", "created_at"]
    list_filter = ["stage", "by_staff", "is_demo", "hub", QUIZ]
    list_select_related = ["quiz"]
    date_hierarchy = "created_at"
    exclude = ["user", "participant"]


@admin.register(Evaluation)
class EvaluationAdmin(HubScopedAdmin, ReadOnlyAdmin):
    """Read-only: what readers said. Reports of commercial bias are for editors to review."""

    list_display = ["quiz", "hub", "free_of_bias", "relevance", "would_recommend", "created_at"]
    list_filter = ["free_of_bias", "would_recommend", "by_staff", "is_demo", "hub", QUIZ]
    list_select_related = ["quiz"]
    date_hierarchy = "created_at"
    exclude = ["user", "participant"]


@admin.register(Commitment)
class CommitmentAdmin(HubScopedAdmin, ReadOnlyAdmin):
    list_display = ["quiz", "hub", "created_at", "follow_ups_sent", "follow_up_stopped_at"]
    list_filter = ["by_staff", "is_demo", "hub", QUIZ]
    list_select_related = ["quiz"]
    date_hierarchy = "created_at"
    exclude = ["user", "participant"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sent=Count("follow_ups"))

    @admin.display(description=_("follow-ups sent"), ordering="sent")
    def follow_ups_sent(self, commitment):
        return commitment.sent


@admin.register(FollowUp)
class FollowUpAdmin(HubScopedAdmin, ReadOnlyAdmin):
    hub_path = "commitment__hub"
    list_display = ["commitment", "stage", "sent_at", "answered_at", "outcome", "barrier"]
    list_filter = ["stage", "outcome", "barrier"]
    list_select_related = ["commitment__quiz"]


@admin.register(Certificate)
class CertificateAdmin(HubScopedAdmin, ReadOnlyAdmin):
    """Read-only: issued certificates, found by their ID when someone asks about one."""

    hub_path = "quiz__article__hub"
    list_display = ["code", "reader_name", "activity", "completed_on", "credit_type"]
    search_fields = ["code", "reader_name"]
    date_hierarchy = "issued_at"
    exclude = ["user"]
