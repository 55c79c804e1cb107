"""The editors' side of quizzes: questions and choices on one page, and the results."""

import io

import nested_admin
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from quizzes.models import Attempt, Choice, Question, Quiz
from quizzes.report import quiz_report, write_csv

LOCKED = _(
    "Readers have already answered this quiz, so its questions and correct answers are "
    "locked to keep before/after results comparable. You can still correct the wording "
    "and the explanations. To change more, create a new quiz."
)


def _kept(forms):
    return [f for f in forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def _parent_deleted(formset):
    """A nested formset's parent form marked for deletion (its prefix is '<parent>-<name>')."""
    parent_prefix = formset.prefix.rsplit("-", 1)[0]
    return bool(formset.data.get(f"{parent_prefix}-DELETE"))


class ChoiceFormSet(nested_admin.formsets.NestedInlineFormSet):
    def save(self, commit=True):
        # The question is being deleted (its choices go with it): nothing to save.
        if _parent_deleted(self):
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
            return []
        return super().save(commit)

    def clean(self):
        super().clean()
        if _parent_deleted(self):
            return
        question = self.instance
        if question.pk and question.quiz.has_answers():
            recorrected = any(f.instance.pk and "is_correct" in f.changed_data for f in self.forms)
            added = any(not f.instance.pk and f.has_changed() for f in self.forms)
            if recorrected or added or self.deleted_forms:
                raise ValidationError(LOCKED)
        kept = _kept(self.forms)
        correct = sum(1 for f in kept if f.cleaned_data.get("is_correct"))
        if len(kept) < 2:
            raise ValidationError(_("Each question needs at least two choices."))
        if correct == 0:
            raise ValidationError(_("Mark at least one choice as correct."))
        if question.kind == Question.Kind.SINGLE and correct != 1:
            raise ValidationError(
                _("A single-best-answer question has exactly one correct choice.")
            )


class QuestionFormSet(nested_admin.formsets.NestedInlineFormSet):
    def clean(self):
        super().clean()
        if not _kept(self.forms):
            raise ValidationError(_("A quiz needs at least one question."))
        quiz = self.instance
        if not (quiz.pk and quiz.has_answers()):
            return
        added = any(not f.instance.pk and f.has_changed() for f in self.forms)
        kind_changed = any(f.instance.pk and "kind" in f.changed_data for f in self.forms)
        if added or kind_changed or self.deleted_forms:
            raise ValidationError(LOCKED)


class ChoiceInline(nested_admin.NestedTabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 0
    min_num = 2
    fields = ["order", "text", "is_correct"]
    sortable_field_name = "order"


class QuestionInline(nested_admin.NestedStackedInline):
    model = Question
    formset = QuestionFormSet
    inlines = [ChoiceInline]
    extra = 0
    fields = ["order", "text", "kind", "explanation"]
    sortable_field_name = "order"


@admin.register(Quiz)
class QuizAdmin(nested_admin.NestedModelAdmin):
    list_display = ["title", "article", "is_published", "readers", "results_link", "is_demo"]
    list_filter = ["is_published", "is_demo"]
    search_fields = ["title", "article__title"]
    autocomplete_fields = ["article"]
    readonly_fields = ["results_link"]
    fields = ["article", "title", "is_published", "shuffle", "is_demo", "results_link"]
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article")
            .annotate(reader_count=Count("attempts__participant", distinct=True))
        )

    @admin.display(description=_("readers"), ordering="reader_count")
    def readers(self, quiz):
        return quiz.reader_count

    @admin.display(description=_("results"))
    def results_link(self, quiz):
        if not quiz.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:quizzes_quiz_results", args=[quiz.pk]),
            _("Results"),
        )

    def get_urls(self):
        return [
            path(
                "<int:quiz_id>/results/",
                self.admin_site.admin_view(self.results_view),
                name="quizzes_quiz_results",
            ),
            path(
                "<int:quiz_id>/results.csv",
                self.admin_site.admin_view(self.results_csv),
                name="quizzes_quiz_results_csv",
            ),
            *super().get_urls(),
        ]

    def _quiz_for(self, request, quiz_id):
        quiz = get_object_or_404(Quiz.objects.select_related("article"), pk=quiz_id)
        if not self.has_view_permission(request, quiz):
            raise PermissionDenied
        return quiz

    def results_view(self, request, quiz_id):
        quiz = self._quiz_for(request, quiz_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "quiz": quiz,
            "report": quiz_report(quiz),
            "title": _("Results: %(quiz)s") % {"quiz": quiz.title},
        }
        return TemplateResponse(request, "admin/quizzes/quiz/results.html", context)

    def results_csv(self, request, quiz_id):
        quiz = self._quiz_for(request, quiz_id)
        stream = io.StringIO()
        write_csv(quiz_report(quiz), stream)
        response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="quiz-{quiz.pk}-results.csv"'
        return response


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Read-only: attempts are what readers did, not something editors write."""

    list_display = ["quiz", "stage", "score", "total", "created_at"]
    list_filter = ["stage", "quiz"]
    list_select_related = ["quiz"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Results are evidence for accreditors: not even a superuser deletes them here.
        return False
