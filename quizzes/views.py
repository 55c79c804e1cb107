"""Taking a quiz before and after reading, and seeing what changed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from articles.models import ArticleExpert, ContentRole
from articles.rendering import markdown_to_html
from quizzes.attempts import AlreadyTaken, TooLate, record_attempt
from quizzes.forms import QuizForm
from quizzes.models import Attempt, Commitment, Evaluation, Question, Quiz
from quizzes.report import peer_shares


def _live_quiz(quiz_id):
    quizzes = (
        Quiz.objects.live()
        .select_related("article")
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.prefetch_related("choices"))
        )
    )
    return get_object_or_404(quizzes, pk=quiz_id)


def _attempts(quiz, user):
    """The reader's attempts on this quiz by stage, with their answers, in fixed queries."""
    attempts = Attempt.objects.filter(quiz=quiz, user=user).prefetch_related("answers__choices")
    return {attempt.stage: attempt for attempt in attempts}


@require_http_methods(["GET", "POST"])
@login_required
def take(request, quiz_id, stage):
    if stage not in Attempt.Stage.values:
        raise Http404("No such stage.")
    quiz = _live_quiz(quiz_id)
    taken = set(
        Attempt.objects.filter(quiz=quiz, user=request.user).values_list("stage", flat=True)
    )
    if stage in taken:
        return _already(request, quiz)
    if stage == Attempt.Stage.PRE and Attempt.Stage.POST in taken:
        return _already(request, quiz, too_late=True)
    questions = quiz.ordered_questions(seed=request.user.pk)
    form = QuizForm(
        questions,
        request.POST or None,
        confidence_question=quiz.confidence_question,
        ask_intent=quiz.asks_intent and stage == Attempt.Stage.POST,
        ask_commitment=stage == Attempt.Stage.POST,
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_attempt(
                quiz,
                request.user,
                stage,
                questions,
                form.chosen(),
                language=translation.get_language() or settings.LANGUAGE_CODE,
                **form.reflections(),
            )
        except TooLate:
            return _already(request, quiz, too_late=True)
        except AlreadyTaken:
            return _already(request, quiz)
        return redirect("quizzes:result", quiz.pk)
    # The disclosures come before the activity: at the first quiz the reader takes.
    starting = stage == Attempt.Stage.PRE or not taken
    disclosures = _disclosures(quiz.article) if starting else []
    return render(
        request,
        "quizzes/take.html",
        {
            "quiz": quiz,
            "article": quiz.article,
            "stage": stage,
            "is_pre": stage == Attempt.Stage.PRE,
            "form": form,
            "disclosures": disclosures,
            "show_disclosures": bool(disclosures)
            and (quiz.article.is_cme or any(d for _p, _r, d in disclosures)),
        },
    )


def _disclosures(article):
    """Article.disclosures() in a fixed number of queries."""
    prefetch_related_objects(
        [article],
        Prefetch("article_experts", queryset=ArticleExpert.objects.select_related("expert")),
        Prefetch("content_roles", queryset=ContentRole.objects.select_related("person")),
    )
    return article.disclosures()


def _already(request, quiz, too_late=False):
    if too_late:
        message = _(
            "The quiz before reading can only be taken before the quiz after reading, "
            "which shows the answers."
        )
    else:
        message = _("You have already taken this quiz at this stage.")
    messages.info(request, message)
    return redirect("quizzes:result", quiz.pk)


@require_safe
@login_required
def result(request, quiz_id):
    quiz = _live_quiz(quiz_id)
    attempts = _attempts(quiz, request.user)
    pre, post = attempts.get(Attempt.Stage.PRE), attempts.get(Attempt.Stage.POST)
    if not (pre or post):
        return redirect("quizzes:take", quiz.pk, Attempt.Stage.PRE)
    context = {"quiz": quiz, "article": quiz.article, "pre": pre, "post": post}
    if post:
        references = list(quiz.article.references.all())
        context["references"] = references
        context["review"] = _review(quiz, pre, post, len(references))
        if pre:
            context["change"] = post.score - pre.score
        context["evaluated"] = Evaluation.objects.filter(
            quiz=quiz, participant=post.participant
        ).exists()
        context["commitment"] = Commitment.objects.filter(
            quiz=quiz, participant=post.participant
        ).first()
    return render(request, "quizzes/result.html", context)


def _review(quiz, pre, post, reference_count):
    """Each question with the reader's answers before and after, the correct ones, and why."""
    picked = {
        attempt.stage: {
            answer.question_id: {c.pk for c in answer.choices.all()}
            for answer in attempt.answers.all()
        }
        for attempt in (pre, post)
        if attempt
    }
    seen = {}  # one set of citation anchors for the whole page
    before, after = picked.get(Attempt.Stage.PRE, {}), picked[Attempt.Stage.POST]
    peers = peer_shares(quiz)
    objectives = {o.pk: o for o in quiz.article.learning_objectives.all()}
    rows = []
    for question in quiz.ordered_questions(seed=post.user_id):
        chosen_before, chosen_after = before.get(question.pk, ()), after.get(question.pk, ())
        rows.append(
            {
                "question": question,
                "choices": [
                    {
                        "choice": choice,
                        "before": choice.pk in chosen_before,
                        "after": choice.pk in chosen_after,
                    }
                    for choice in question.ordered_choices
                ],
                "correct_after": question.is_answered_correctly(chosen_after),
                "correct_before": (question.is_answered_correctly(chosen_before) if pre else None),
                "peers": peers.get(question.pk),
                "objective": objectives.get(question.objective_id),
                "explanation": markdown_to_html(question.explanation, reference_count, seen),
            }
        )
    return rows


@require_safe
@login_required
def record(request, quiz_id):
    """The record of completion became the certificate: old links lead there."""
    quiz = _live_quiz(quiz_id)
    if not Attempt.objects.filter(quiz=quiz, user=request.user, stage=Attempt.Stage.POST).exists():
        messages.info(request, _("Your certificate is ready once you take the quiz after reading."))
        return redirect("quizzes:result", quiz.pk)
    return redirect("quizzes:certificate", quiz.pk)


@require_safe
@login_required
def history(request):
    attempts = Attempt.objects.filter(user=request.user).select_related("quiz__article")
    by_quiz = {}
    for attempt in attempts:
        entry = by_quiz.setdefault(attempt.quiz_id, {"quiz": attempt.quiz})
        entry[attempt.stage] = attempt
    for row in by_quiz.values():
        before, after = row.get(Attempt.Stage.PRE), row.get(Attempt.Stage.POST)
        row["change"] = after.score - before.score if before and after else None
        row["latest"] = max(a.created_at for a in (before, after) if a)
    rows = sorted(by_quiz.values(), key=lambda row: row["latest"], reverse=True)
    return render(request, "quizzes/history.html", {"rows": rows})
