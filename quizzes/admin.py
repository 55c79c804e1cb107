"""The editors' side of quizzes: questions and choices on one page, and the outcomes.

Once readers have answered, everything they saw and everything that scores them is
shown disabled, with a banner saying why (posted values for it are ignored): the
article, shuffling, the questions' wording and type, the choices and which are
correct. Editors may still correct explanations, and tie a question that has no
learning objective yet to one (once).
"""

import datetime

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles.admin import register_article_link
from articles.models import Article, LearningObjective, Topic
from common.admin import LabelledCells, ReadOnlyAdmin
from hubs.scope import HubScopedAdmin, hub_ids, hubs_of
from quizzes.attempts import refresh_objective_changes
from quizzes.cme_report import cme_outcomes
from quizzes.cme_report import write_csv as write_cme_csv
from quizzes.disclosure import rule_text
from quizzes.exports import answers_export_response, request_answers_export, write_summary
from quizzes.figures import STRATA, next_quarter
from quizzes.forms import ReportFilterForm
from quizzes.models import (
    AnswersExport,
    Attempt,
    Certificate,
    Choice,
    Commitment,
    Evaluation,
    FollowUp,
    Question,
    Quiz,
)
from quizzes.report import disclosure_plan, forget_reports, quarters, quiz_report

LOCKED_FIELDS = {
    # The demo flag too: attempts copy it when recorded, so changing it afterwards
    # would leave reports counting some of the quiz's attempts and not others.
    "quiz": ["shuffle", "confidence_question", "asks_intent", "is_demo"],
    "question": ["text", "kind"],
    "choice": ["text", "is_correct"],
}


def _days_of(period):
    """The first and last day of a quarter (None: all time), for the figures counted by
    the day each answer was given (the CME sections)."""
    if period is None:
        return None, None
    return period, next_quarter(period) - datetime.timedelta(days=1)


def _report_filters(request, hubs_shown, quarters_of):
    """The report's filters and the hub ids it counts: those the viewer edits (None for
    a superuser: every hub), or the one of `hubs_shown` they chose. The quarters offered
    are those of the hubs counted (`quarters_of(hubs)`)."""
    data = request.GET or None
    choices = [(hub.pk, hub.name) for hub in hubs_shown]
    hubs = ReportFilterForm(data, hubs=choices).hubs(hub_ids(request))
    return ReportFilterForm(data, quarters=quarters_of(hubs), hubs=choices), hubs


def _withheld(quiz, period, hubs=None):
    """Whether the report withholds this quarter's readers (quizzes.disclosure)."""
    if period is None:
        return False
    return "readers" in disclosure_plan(quiz, hubs=hubs).withheld(period)


def _cme(quiz, period, by, hubs=None):
    """The evaluation and follow-up figures for the same window and hubs as the report,
    or None for a quarter the report withholds."""
    if _withheld(quiz, period, hubs):
        return None
    return cme_outcomes(quiz, *_days_of(period), by, hubs=hubs)


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
class QuizAdmin(HubScopedAdmin, nested_admin.NestedModelAdmin):
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

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:quiz_id>/results/", view(self.results_view), name="quizzes_quiz_results"),
            path(
                "<int:quiz_id>/results.csv",
                view(self.results_csv),
                name="quizzes_quiz_results_csv",
            ),
            path(
                "<int:quiz_id>/answers.csv",
                view(self.answers_csv),
                name="quizzes_quiz_answers_csv",
            ),
            path(
                "<int:quiz_id>/evaluation.csv",
                view(self.evaluation_csv),
                name="quizzes_quiz_evaluation_csv",
            ),
            path("<int:quiz_id>/preview/", view(self.preview_view), name="quizzes_quiz_preview"),
            path("objectives/", view(self.objectives_view), name="quizzes_quiz_objectives"),
            path("outcomes/", view(self.topics_view), name="quizzes_quiz_topics"),
            path(
                "outcomes/<slug:slug>/",
                view(self.topic_outcomes_view),
                name="quizzes_quiz_topic_outcomes",
            ),
            *super().get_urls(),
        ]

    def _quiz_for(self, request, quiz_id):
        """A quiz whose results the editor may see: one shown on a hub they edit (a
        quiz shared with their hub has results there), or any for a superuser."""
        quizzes = Quiz.objects.select_related("article").shown_on(hub_ids(request))
        quiz = get_object_or_404(quizzes, pk=quiz_id)
        if not self.has_view_permission(request, quiz):
            raise PermissionDenied
        return quiz

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    def _filters(self, request, quiz):
        """The report's filters and the hubs it counts: the editor's (one of them if
        they choose), or every hub for a superuser (one if they choose)."""
        choices = hubs_of(request).filter(
            Q(pk=quiz.article.hub_id) | Q(pk__in=quiz.article.shared_with.values("pk"))
        )
        return _report_filters(request, choices, lambda hubs: quarters(quiz, hubs))

    def results_view(self, request, quiz_id):
        quiz = self._quiz_for(request, quiz_id)
        filters, hubs = self._filters(request, quiz)
        period, by = filters.values()
        context = self._context(
            request,
            quiz=quiz,
            filters=filters,
            report=quiz_report(quiz, period, by, hubs),
            cme=_cme(quiz, period, by, hubs),
            exports=AnswersExport.objects.filter(quiz=quiz, hubs=AnswersExport.scope(hubs)).defer(
                "content"
            )[: AnswersExport.KEEP],
            rule=rule_text(),
            query=filters.query_string(),
            topics=quiz.article.topics.all(),
            title=_("Outcomes: %(quiz)s") % {"quiz": quiz.title},
        )
        return TemplateResponse(request, "admin/quizzes/quiz/results.html", context)

    def results_csv(self, request, quiz_id):
        quiz = self._quiz_for(request, quiz_id)
        filters, hubs = self._filters(request, quiz)
        period, _by = filters.values()
        reports = [quiz_report(quiz, period, by, hubs) for by in (None, *STRATA)]
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="quiz-{quiz.pk}-summary.csv"'
        response["Cache-Control"] = "no-store"
        write_summary(reports, response)
        return response

    def answers_csv(self, request, quiz_id):
        """POST: have the worker build the per-reader file; GET with ?export=: download it."""
        quiz = self._quiz_for(request, quiz_id)
        filters, hubs = self._filters(request, quiz)
        if request.method == "POST":
            request_answers_export(quiz, request.user, hubs)
            messages.success(
                request,
                _("The file is being prepared; it appears here when it is ready."),
            )
            query = filters.query_string()
            results = reverse("admin:quizzes_quiz_results", args=[quiz.pk])
            return redirect(f"{results}?{query}" if query else results)
        export = get_object_or_404(
            AnswersExport,
            quiz=quiz,
            hubs=AnswersExport.scope(hubs),
            pk=request.GET.get("export") or 0,
            status="ready",
        )
        return answers_export_response(export)

    def objectives_view(self, request):
        """An article's learning objectives, for the questions of a quiz being written."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        chosen = request.GET.get("article", "")
        article = int(chosen) if chosen.isascii() and chosen.isdigit() else None
        objectives = LearningObjective.objects.filter(article_id=article)
        return JsonResponse(
            {"objectives": [{"id": o.pk, "text": str(o)} for o in objectives]},
            headers={"Cache-Control": "no-store"},
        )

    def evaluation_csv(self, request, quiz_id):
        quiz = self._quiz_for(request, quiz_id)
        filters, hubs = self._filters(request, quiz)
        period, by = filters.values()
        if _withheld(quiz, period, hubs):
            period = None  # as the page: a withheld quarter is not shown on its own
        since, until = _days_of(period)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="quiz-{quiz.pk}-evaluation.csv"'
        response["Cache-Control"] = "no-store"
        outcomes = cme_outcomes(quiz, since, until, by, hubs=hubs)
        write_cme_csv(outcomes, response, quiz=quiz, since=since, until=until)
        return response

    def preview_view(self, request, quiz_id):
        """The quiz as readers will see it, published or not, with the answers marked."""
        quiz = self._quiz_for(request, quiz_id)
        questions = quiz.ordered_questions(seed=request.user.pk)
        objectives = {o.pk: n for n, o in enumerate(quiz.article.learning_objectives.all(), 1)}
        for question in questions:
            question.objective_number = objectives.get(question.objective_id)
        context = self._context(
            request,
            quiz=quiz,
            questions=questions,
            title=_("Preview: %(quiz)s") % {"quiz": quiz.title},
        )
        return TemplateResponse(request, "admin/quizzes/quiz/preview.html", context)

    def topics_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        ids = hub_ids(request)
        # The quizzes shown on the editor's hubs.
        theirs = Q() if ids is None else Q(articles__in=Article.objects.on_hubs(ids))
        topics = Topic.objects.annotate(
            quizzes=Count("articles__quiz", distinct=True, filter=theirs)
        ).filter(quizzes__gt=0)
        context = self._context(request, topics=topics, title=_("Outcomes by topic"))
        return TemplateResponse(request, "admin/quizzes/quiz/topics.html", context)

    def topic_outcomes_view(self, request, slug):
        if not self.has_view_permission(request):
            raise PermissionDenied
        from quizzes.topics import topic_outcomes, topic_quarters

        topic = get_object_or_404(Topic, slug=slug)
        filters, hubs = _report_filters(
            request, hubs_of(request), lambda hubs: topic_quarters(topic, hubs)
        )
        period, by = filters.values()
        context = self._context(
            request,
            topic=topic,
            filters=filters,
            by_label=STRATA.get(by),
            outcomes=topic_outcomes(topic, period, by, hubs=hubs),
            title=_("Outcomes: %(topic)s") % {"topic": topic.name},
        )
        return TemplateResponse(request, "admin/quizzes/quiz/topic_outcomes.html", context)


def _quiz_link(article):
    """The article admin's link to its quiz (or to write one)."""
    quiz = Quiz.objects.filter(article=article).first()
    if quiz:
        return _("Quiz: %(title)s") % {"title": quiz.title}, reverse(
            "admin:quizzes_quiz_change", args=[quiz.pk]
        )
    return _("Add a quiz"), f"{reverse('admin:quizzes_quiz_add')}?article={article.pk}"


register_article_link(_quiz_link)


QUIZ = ("quiz", admin.RelatedOnlyFieldListFilter)

# Readers' records, each where the reader took the quiz: an editor sees their hubs'
# (and, in the quiz filters, only the quizzes those records are of).


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
