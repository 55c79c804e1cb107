"""After the post-test: the activity's evaluation, the certificate (page, PDF and public
verification), and the follow-up of a commitment to change, reached from its email."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from common.http import gate_exempt
from quizzes import certificates, follow_ups
from quizzes.forms import EvaluationForm, FollowUpForm
from quizzes.models import Attempt, Certificate, Evaluation, FollowUp, Quiz
from quizzes.views import _live_quiz


def _post_test(quiz, user):
    return Attempt.objects.filter(quiz=quiz, user=user, stage=Attempt.Stage.POST).first()


@require_http_methods(["GET", "POST"])
@login_required
def evaluate(request, quiz_id):
    quiz = _live_quiz(quiz_id)
    post = _post_test(quiz, request.user)
    if post is None:
        messages.info(request, _("You can evaluate the activity after the quiz after reading."))
        return redirect("quizzes:result", quiz.pk)
    if Evaluation.objects.filter(quiz=quiz, participant=post.participant).exists():
        messages.info(request, _("You have already evaluated this activity. Thank you."))
        return redirect("quizzes:result", quiz.pk)
    form = EvaluationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        evaluation = form.save(commit=False)
        evaluation.copy_reader(post)
        try:
            with transaction.atomic():
                evaluation.save()
        except IntegrityError:
            # A double submit: the first one counted, this one adds nothing.
            if not Evaluation.objects.filter(quiz=quiz, participant=post.participant).exists():
                raise
            messages.info(request, _("You have already evaluated this activity. Thank you."))
            return redirect("quizzes:result", quiz.pk)
        messages.success(request, _("Thank you for evaluating this activity."))
        return redirect("quizzes:result", quiz.pk)
    return render(
        request,
        "quizzes/evaluate.html",
        {"quiz": quiz, "article": quiz.article, "form": form},
    )


def _certificate(request, quiz_id):
    """The reader's certificate for the quiz, issued on first sight; 404 without a post-test
    (the quiz may have been unpublished since: a certificate outlives it)."""
    quiz = get_object_or_404(Quiz.objects.select_related("article"), pk=quiz_id)
    certificate = certificates.issue(quiz, request.user)
    if certificate is None:
        raise Http404("No certificate before the quiz after reading.")
    return quiz, certificate


@require_safe
@login_required
def certificate(request, quiz_id):
    quiz, certificate = _certificate(request, quiz_id)
    return render(
        request,
        "quizzes/certificate.html",
        {
            "quiz": quiz,
            "article": quiz.article,
            "certificate": certificate,
            "facts": certificates.facts(certificate),
            "credit": certificates.credit_line(certificate),
            "verify_url": certificates.verification_url(certificate, request),
            "objectives": quiz.article.learning_objectives.all(),
        },
    )


@require_safe
@login_required
def certificate_pdf(request, quiz_id):
    _quiz, certificate = _certificate(request, quiz_id)
    response = HttpResponse(certificates.pdf(certificate, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@gate_exempt  # anyone given the address may confirm it: an employer, a licensing board
@never_cache
@require_safe
def verify_certificate(request, code):
    """Confirms a certificate: the name, the activity, the date and the credit, no more."""
    certificate = Certificate.objects.filter(code=code.upper()).first()
    status = 200 if certificate else 404
    context = {"certificate": certificate, "code": code}
    if certificate:
        context["credit"] = certificates.credit_line(certificate)
    response = render(request, "quizzes/verify_certificate.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@gate_exempt  # answered straight from the email, without logging in: the token is the key
@never_cache
@require_http_methods(["GET", "POST"])
def follow_up(request, token):
    pk = follow_ups.load(token, follow_ups.ANSWER_SALT, follow_ups.ANSWER_MAX_AGE)
    answer = (
        FollowUp.objects.select_related("commitment__quiz__article").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if answer is None or answer.commitment.user_id is None:
        return render(request, "quizzes/follow_up_invalid.html", status=400)
    if answer.answered_at:
        return render(request, "quizzes/follow_up_done.html", {"answer": answer})
    form = FollowUpForm(request.POST if request.method == "POST" else None, instance=answer)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            # Answered once: a second tab or a double submit changes nothing.
            fresh = FollowUp.objects.select_for_update().get(pk=answer.pk)
            if fresh.answered_at is None:
                answer = form.save(commit=False)
                answer.answered_at = timezone.now()
                answer.save()
        return render(request, "quizzes/follow_up_done.html", {"answer": answer, "thanks": True})
    return render(
        request,
        "quizzes/follow_up.html",
        {"answer": answer, "commitment": answer.commitment, "form": form},
    )


@gate_exempt  # stopping must work straight from the email
@csrf_exempt  # one-click unsubscribe (RFC 8058) posts from the mail client; the token is the key
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def stop_follow_ups(request, token):
    user_id = follow_ups.load(token, follow_ups.STOP_SALT)
    if not isinstance(user_id, int):
        return render(request, "quizzes/follow_up_invalid.html", status=400)
    if request.method == "POST":
        follow_ups.stop(user_id)
        return render(request, "quizzes/follow_ups_stopped.html")
    return render(request, "quizzes/stop_follow_ups.html")
