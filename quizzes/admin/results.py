"""The quiz outcomes an editor reads in the admin: a quiz's results (page, CSVs and
per-reader answers), its evaluation, the learning objectives' and topics' outcomes,
and a preview of the quiz as readers see it. Each counts the hubs the editor edits."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Article, LearningObjective, Topic
from hubs.scope import hub_ids, hubs_of
from quizzes.cme_report import cme_outcomes
from quizzes.cme_report import write_csv as write_cme_csv
from quizzes.disclosure import rule_text
from quizzes.exports import answers_export_response, request_answers_export, write_summary
from quizzes.figures import STRATA, next_quarter
from quizzes.forms import ReportFilterForm
from quizzes.models import AnswersExport, Quiz
from quizzes.report import disclosure_plan, quarters, quiz_report


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


class QuizResultsViews:
    """QuizAdmin's pages beyond editing (its URLs come first)."""

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
