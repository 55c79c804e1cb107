"""The editors' side of quizzes: questions and choices on one page, and the outcomes.

Once readers have answered, everything they saw and everything that scores them is
shown disabled, with a banner saying why (posted values for it are ignored): the
article, shuffling, the questions' wording and type, the choices and which are
correct. Editors may still correct explanations, and tie a question that has no
learning objective yet to one (once).
"""

import nested_admin
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.admin import register_article_link
from articles.models import Article, LearningObjective
from common.admin import LabelledCells
from hubs.scope import HubScopedAdmin, hub_ids
from quizzes.admin.results import QuizResultsViews
from quizzes.attempts import refresh_objective_changes
from quizzes.models import Choice, Question, Quiz
from quizzes.report import forget_reports

LOCKED_FIELDS = {
    # The demo flag too: attempts copy it when recorded, so changing it afterwards
    # would leave reports counting some of the quiz's attempts and not others.
    "quiz": ["shuffle", "confidence_question", "asks_intent", "is_demo"],
    "question": ["text", "kind"],
    "choice": ["text", "is_correct"],
}


def _locked(request):
    """Whether the quiz being edited has answers; set by QuizAdmin.get_object."""
    return getattr(request, "quiz_locked", False)


def _article_id(request):
    """The article of the quiz being edited: saved, or chosen on this add form."""
    if getattr(request, "quiz_article_id", None):
        return request.quiz_article_id
    chosen = request.POST.get("article") or request.GET.get("article") or ""
    return int(chosen) if chosen.isascii() and chosen.isdigit() else None


def _kept(forms):
    return [f for f in forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def _parent_deleted(formset):
    """A nested formset's parent form marked for deletion (its prefix is '<parent>-<name>')."""
    parent_prefix = formset.prefix.rsplit("-", 1)[0]
    return bool(formset.data.get(f"{parent_prefix}-DELETE"))


class ChoiceFormSet(nested_admin.formsets.NestedInlineFormSet):
    locked = False

    def save(self, commit=True):
        # The question is being deleted (its choices go with it): nothing to save.
        if _parent_deleted(self):
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
            return []
        return super().save(commit)

    def clean(self):
        super().clean()
        if self.locked or _parent_deleted(self):
            return
        kept = _kept(self.forms)
        correct = sum(1 for f in kept if f.cleaned_data.get("is_correct"))
        if len(kept) < 2:
            raise ValidationError(_("Each question needs at least two choices."))
        if correct == 0:
            raise ValidationError(_("Mark at least one choice as correct."))
        if self.instance.kind == Question.Kind.SINGLE and correct != 1:
            raise ValidationError(
                _("A single-best-answer question has exactly one correct choice.")
            )


class QuestionFormSet(nested_admin.formsets.NestedInlineFormSet):
    locked = False

    def clean(self):
        super().clean()
        # A draft may wait for its questions; readers only ever see a quiz with some.
        if not self.locked and self.instance.is_published and not _kept(self.forms):
            raise ValidationError(
                _(
                    "A published quiz needs at least one question. Untick “published” to "
                    "save it as a draft and add the questions later."
                )
            )
        article = self.instance.article if self.instance.article_id else None
        for form in _kept(self.forms):
            objective = form.cleaned_data.get("objective")
            if objective and objective.article_id != getattr(article, "pk", None):
                form.add_error("objective", _("Choose one of this article's learning objectives."))


def _disabling(form_class, names):
    """form_class with `names` disabled: shown greyed out, and posted values ignored.

    A question's learning objective can still be set once, if it has none yet.
    """

    class LockedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name in names:
                if name in self.fields:
                    self.fields[name].disabled = True
            if "objective" in self.fields and getattr(self.instance, "objective_id", None):
                self.fields["objective"].disabled = True

    return LockedForm


class LockableInline:
    """Disabled fields, and no adding or deleting, once readers have answered."""

    locked_fields = []

    def has_add_permission(self, request, obj=None):
        return not _locked(request) and super().has_add_permission(request, obj)

    def get_min_num(self, request, obj=None, **kwargs):
        # No new forms are wanted, so none may be required (a tampered post adds some).
        return 0 if _locked(request) else super().get_min_num(request, obj, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return not _locked(request) and super().has_delete_permission(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.locked = _locked(request)
        if formset.locked:
            formset.form = _disabling(formset.form, self.locked_fields)
        return formset


class ChoiceInline(LabelledCells, LockableInline, nested_admin.NestedTabularInline):
    model = Choice
    formset = ChoiceFormSet
    extra = 0
    min_num = 2
    fields = ["order", "text", "is_correct"]
    sortable_field_name = "order"
    locked_fields = LOCKED_FIELDS["choice"]


class QuestionInline(LockableInline, nested_admin.NestedStackedInline):
    model = Question
    formset = QuestionFormSet
    inlines = [ChoiceInline]
    extra = 0
    fields = ["order", "text", "kind", "measures", "objective", "explanation"]
    sortable_field_name = "order"
    locked_fields = LOCKED_FIELDS["question"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "objective":
            # The chosen article's objectives, saved or not; the script (static/js/desk.js)
            # swaps them when the editor picks another article on this page.
            kwargs["queryset"] = LearningObjective.objects.filter(article_id=_article_id(request))
            url = reverse("admin:quizzes_quiz_objectives")
            kwargs["widget"] = forms.Select(attrs={"data-objectives-url": url})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    class Media:
        js = ["js/desk.js"]


@admin.register(Quiz)
class QuizAdmin(QuizResultsViews, HubScopedAdmin, nested_admin.NestedModelAdmin):
    hub_path = "article__hub"  # a quiz is its article's hub's
    list_display = ["title", "article", "is_published", "readers", "results_link", "is_demo"]
    list_filter = ["is_published", "is_demo"]
    search_fields = ["title", "article__title"]
    readonly_fields = ["results_link"]
    fields = [
        "article", "title", "is_published", "shuffle", "confidence_question", "asks_intent",
        "is_demo", "results_link",
    ]  # fmt: skip
    inlines = [QuestionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article")
            .annotate(
                reader_count=Count(
                    "attempts__participant",
                    distinct=True,
                    filter=Q(attempts__by_staff=False, attempts__is_demo=False),
                )
            )
        )

    def get_object(self, request, object_id, from_field=None):
        quiz = super().get_object(request, object_id, from_field)
        if quiz is not None:
            request.quiz_locked = quiz.is_locked
            request.quiz_article_id = quiz.article_id
        return quiz

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return _disabling(form, LOCKED_FIELDS["quiz"]) if _locked(request) else form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            # A plain select (select2 writes inline styles the CSP refuses) of the articles
            # that have no quiz yet, and this quiz's own: an article has one quiz.
            kwargs["queryset"] = Article.objects.filter(
                Q(quiz__isnull=True) | Q(pk=getattr(request, "quiz_article_id", None))
            )
            if (ids := hub_ids(request)) is not None:
                kwargs["queryset"] = kwargs["queryset"].filter(hub__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # The article is shown as text: a disabled autocomplete is not valid HTML.
        fields = list(super().get_readonly_fields(request, obj))
        return ["article", *fields] if _locked(request) else fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        tied = any(
            "objective" in f.changed_data
            for formset in formsets
            if formset.model is Question
            for f in formset.forms
        )
        if tied and _locked(request):
            refresh_objective_changes(form.instance)
        forget_reports(form.instance.pk)  # objectives or texts the report shows may change

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


def _quiz_link(article):
    """The article admin's link to its quiz (or to write one)."""
    quiz = Quiz.objects.filter(article=article).first()
    if quiz:
        return _("Quiz: %(title)s") % {"title": quiz.title}, reverse(
            "admin:quizzes_quiz_change", args=[quiz.pk]
        )
    return _("Add a quiz"), f"{reverse('admin:quizzes_quiz_add')}?article={article.pk}"


register_article_link(_quiz_link)
