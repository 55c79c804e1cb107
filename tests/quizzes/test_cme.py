"""Continuing medical education around the quiz: disclosures at its start, the
evaluation and the commitment to change after it, the follow-ups, and the certificate."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Disclosure
from quizzes import follow_ups
from quizzes.models import Attempt, Certificate, Commitment, Evaluation, FollowUp
from tests.articles.factories import make_article, make_expert
from tests.conftest import Client, declare_hcp, run_worker
from tests.quizzes.factories import ALL_RIGHT, ONE_RIGHT, make_quiz, take

pytestmark = pytest.mark.django_db

GOOD_EVALUATION = {
    "relevance": "5",
    "objectives_met": "4",
    "faculty_quality": "4",
    "free_of_bias": "True",
    "would_recommend": "True",
}


@pytest.fixture
def quiz():
    expert = make_expert("Dr Amelia Hart")
    Disclosure.objects.create(
        person=expert, disclosed_on=date(2025, 2, 1), nothing_to_disclose=True
    )
    article = make_article(
        "Belantamab in relapse",
        experts=[expert],
        objectives=["Name the comparator in DREAMM-7"],
        is_cme=True,
        carries_credit=True,
        credit_type="CPD credits",
        credit_amount="1.5",
        accreditation_statement="Accredited by the Example Council for CPD.",
    )
    return make_quiz(article)


def finish(client, quiz, commitment=""):
    take(client, quiz, "before", ONE_RIGHT)
    return take(client, quiz, "after", ALL_RIGHT, commitment=commitment)


# Disclosures at the start


def test_the_quiz_before_reading_shows_the_disclosures_first(reader_client, quiz):
    html = reader_client.get(reverse("quizzes:take", args=[quiz.pk, "before"])).content.decode()

    assert html.index("Accreditation and disclosures") < html.index("1. Which trial")
    assert "Dr Amelia Hart" in html
    assert "No relevant financial relationships" in html
    assert "Credit: 1.5 CPD credits" in html


def test_the_quiz_start_page_queries_do_not_grow_with_its_people(
    reader_client, quiz, django_assert_max_num_queries
):
    for _ in range(5):
        quiz.article.article_experts.create(expert=make_expert())
    url = reverse("quizzes:take", args=[quiz.pk, "before"])
    reader_client.get(url)

    with django_assert_max_num_queries(16):
        reader_client.get(url)


# Commitment to change, with the post-test


def test_a_commitment_is_kept_with_the_post_test_in_the_readers_language(reader_client, quiz):
    take(reader_client, quiz, "before", ONE_RIGHT)
    form = reader_client.get(reverse("quizzes:take", args=[quiz.pk, "after"])).content.decode()
    assert "What will you change in your practice? (optional)" in form

    reader_client.cookies["django_language"] = "fr"
    take(reader_client, quiz, "after", ALL_RIGHT, commitment="  Check eyes before each dose.  ")

    commitment = Commitment.objects.get()
    assert commitment.text == "Check eyes before each dose."
    assert commitment.language == "fr"
    assert commitment.participant == Attempt.objects.get(stage="after").participant
    result = reader_client.get(reverse("quizzes:result", args=[quiz.pk])).content.decode()
    assert "Check eyes before each dose." in result


def test_the_commitment_is_optional_and_not_asked_before_reading(reader_client, quiz):
    form = reader_client.get(reverse("quizzes:take", args=[quiz.pk, "before"])).content.decode()
    finish(reader_client, quiz)

    assert "What will you change" not in form
    assert Attempt.objects.filter(stage="after").exists()
    assert not Commitment.objects.exists()


# Evaluation


def evaluate(client, quiz, **data):
    return client.post(reverse("quizzes:evaluate", args=[quiz.pk]), {**GOOD_EVALUATION, **data})


def test_evaluation_waits_for_the_post_test(reader_client, quiz):
    response = evaluate(reader_client, quiz)

    assert response.status_code == 302
    assert not Evaluation.objects.exists()


def test_a_reader_evaluates_once_and_a_double_submit_adds_nothing(reader_client, quiz, reader):
    finish(reader_client, quiz)
    result = reader_client.get(reverse("quizzes:result", args=[quiz.pk])).content.decode()
    assert reverse("quizzes:evaluate", args=[quiz.pk]) in result

    first = evaluate(reader_client, quiz)
    second = evaluate(reader_client, quiz, relevance="1")

    assert first.status_code == second.status_code == 302
    evaluation = Evaluation.objects.get()
    assert evaluation.relevance == 5 and evaluation.user == reader
    result = reader_client.get(reverse("quizzes:result", args=[quiz.pk])).content.decode()
    assert "Evaluation: sent" in result


def test_the_database_allows_one_evaluation_per_reader_and_quiz(reader_client, quiz):
    finish(reader_client, quiz)
    evaluate(reader_client, quiz)
    twin = Evaluation.objects.get()
    twin.pk = None

    with pytest.raises(IntegrityError):
        twin.save()


def test_seeing_bias_asks_where(reader_client, quiz):
    finish(reader_client, quiz)

    response = evaluate(reader_client, quiz, free_of_bias="False")

    assert response.status_code == 200
    assert "Please tell us where you saw bias" in response.content.decode()
    assert not Evaluation.objects.exists()
    evaluate(reader_client, quiz, free_of_bias="False", bias_comment="Only one brand named.")
    assert Evaluation.objects.get().bias_comment == "Only one brand named."


def test_an_incomplete_evaluation_is_shown_again_with_what_is_missing(reader_client, quiz):
    finish(reader_client, quiz)

    response = reader_client.post(reverse("quizzes:evaluate", args=[quiz.pk]), {"relevance": "4"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose how much you agree." in html and "Choose yes or no." in html
    assert 'value="4" checked' in html or 'value="4"  checked' in html or "checked" in html


# Certificate


def test_no_certificate_before_the_post_test(reader_client, quiz, make_user, client):
    take(reader_client, quiz, "before", ONE_RIGHT)

    assert reader_client.get(reverse("quizzes:certificate", args=[quiz.pk])).status_code == 404
    assert reader_client.get(reverse("quizzes:certificate_pdf", args=[quiz.pk])).status_code == 404
    assert not Certificate.objects.exists()


def test_the_certificate_states_who_what_when_scores_and_credit(reader_client, quiz, reader):
    reader.full_name, reader.profession = "Dr Ada Łukasiewicz", "physician"
    reader.save()
    finish(reader_client, quiz)

    html = reader_client.get(reverse("quizzes:certificate", args=[quiz.pk])).content.decode()

    certificate = Certificate.objects.get()
    assert "Dr Ada Łukasiewicz" in html and "Physician" in html
    assert "Belantamab in relapse" in html
    assert "Score before reading: 1 of 3 · after reading: 3 of 3" in html
    assert "Credit awarded: 1.5 CPD credits" in html
    assert "Accredited by the Example Council for CPD." in html
    assert certificate.code in html
    assert reverse("quizzes:verify_certificate", args=[certificate.code]) in html
    # The old record of completion leads here.
    record = reader_client.get(reverse("quizzes:record", args=[quiz.pk]))
    assert record.url == reverse("quizzes:certificate", args=[quiz.pk])


def test_the_certificate_is_issued_once_and_keeps_what_it_said(reader_client, quiz):
    finish(reader_client, quiz)
    reader_client.get(reverse("quizzes:certificate", args=[quiz.pk]))
    quiz.article.title = "A new title"
    quiz.article.carries_credit = False
    quiz.article.save()

    html = reader_client.get(reverse("quizzes:certificate", args=[quiz.pk])).content.decode()

    assert Certificate.objects.count() == 1
    assert "Belantamab in relapse" in html and "Credit awarded" in html


def test_an_activity_without_credit_says_so_on_its_certificate(reader_client):
    quiz = make_quiz()
    finish(reader_client, quiz)

    html = reader_client.get(reverse("quizzes:certificate", args=[quiz.pk])).content.decode()

    assert "This activity is not certified for credit." in html
    assert "Certificate of completion" in html


def test_the_certificate_pdf(reader_client, quiz, reader):
    reader.full_name = "Dr Ada Łukasiewicz"
    reader.save()
    finish(reader_client, quiz)

    response = reader_client.get(reverse("quizzes:certificate_pdf", args=[quiz.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    code = Certificate.objects.get().code
    assert f'filename="certificate-{code}.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]


def test_another_reader_cannot_see_a_certificate_that_is_not_theirs(
    reader_client, quiz, make_user, client
):
    finish(reader_client, quiz)
    reader_client.get(reverse("quizzes:certificate", args=[quiz.pk]))
    client.force_login(make_user("other@example.com"))

    assert client.get(reverse("quizzes:certificate", args=[quiz.pk])).status_code == 404
    anonymous = declare_hcp(Client()).get(reverse("quizzes:certificate", args=[quiz.pk]))
    assert anonymous.status_code == 302 and "login" in anonymous.url


def test_anyone_can_verify_a_certificate_and_learns_only_the_name(reader_client, quiz, reader):
    reader.full_name, reader.profession = "Dr Ada Lovelace", "physician"
    reader.save()
    finish(reader_client, quiz)
    reader_client.get(reverse("quizzes:certificate", args=[quiz.pk]))
    code = Certificate.objects.get().code

    # No gate declaration, no log-in.
    response = Client().get(reverse("quizzes:verify_certificate", args=[code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "is valid" in html and "Dr Ada Lovelace" in html and "Belantamab in relapse" in html
    assert "1.5 CPD credits" in html
    assert reader.email not in html and "Physician" not in html and "3 of 3" not in html
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    unknown = Client().get(reverse("quizzes:verify_certificate", args=["AAAA-BBBB-CCCC-DDDD"]))
    assert unknown.status_code == 404 and "No certificate has the ID" in unknown.content.decode()


# Follow-ups


def commitment_aged(client, quiz, days, text="Check eyes before each dose.", language="en"):
    take(client, quiz, "before", ONE_RIGHT)
    client.cookies["django_language"] = language
    take(client, quiz, "after", ALL_RIGHT, commitment=text)
    commitment = Commitment.objects.get()
    Commitment.objects.filter(pk=commitment.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )
    return commitment


def test_a_follow_up_is_sent_once_when_due(reader_client, quiz, reader):
    commitment_aged(reader_client, quiz, 31)
    mail.outbox.clear()

    assert follow_ups.queue_due() == {30: 1, 60: 0, 90: 0}
    assert follow_ups.queue_due() == {30: 0, 60: 0, 90: 0}

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reader.email]
    assert "Check eyes before each dose." in message.body
    assert "30 days ago" in message.body
    assert "/quizzes/follow-up/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert FollowUp.objects.get().stage == 30


def test_nothing_is_due_before_thirty_days(reader_client, quiz):
    commitment_aged(reader_client, quiz, 29)

    assert follow_ups.queue_due() == {30: 0, 60: 0, 90: 0}


def test_a_late_run_sends_only_the_latest_stage_due(reader_client, quiz):
    commitment_aged(reader_client, quiz, 65)
    mail.outbox.clear()

    follow_ups.queue_due()

    assert list(FollowUp.objects.values_list("stage", flat=True)) == [60]
    assert len(mail.outbox) == 1


def test_a_reader_who_made_the_change_is_not_asked_again(reader_client, quiz):
    commitment = commitment_aged(reader_client, quiz, 31)
    follow_ups.queue_due()
    FollowUp.objects.update(outcome="made", answered_at=timezone.now())
    Commitment.objects.filter(pk=commitment.pk).update(
        created_at=timezone.now() - timedelta(days=61)
    )

    assert follow_ups.queue_due()[60] == 0


def test_follow_ups_are_written_in_the_language_of_the_post_test(reader_client, quiz):
    commitment_aged(reader_client, quiz, 31, language="de")
    seen = []
    real = follow_ups.render_to_string

    def spy(*args, **kwargs):
        seen.append(translation.get_language())
        return real(*args, **kwargs)

    with mock.patch.object(follow_ups, "render_to_string", spy):
        follow_ups.queue_due()

    assert seen == ["de"]


def test_the_command_queues_for_the_worker_and_a_second_run_sends_nothing(
    reader_client, quiz, task_queue
):
    commitment_aged(reader_client, quiz, 95)
    mail.outbox.clear()
    out = __import__("io").StringIO()

    call_command("send_follow_ups", stdout=out)
    call_command("send_follow_ups", stdout=out)  # before the worker ran: queued twice
    run_worker()
    call_command("send_follow_ups", stdout=out)
    run_worker()

    assert "90 days: 1 follow-up(s) queued" in out.getvalue()
    assert len(mail.outbox) == 1
    assert FollowUp.objects.get().stage == 90


def test_the_answer_form_works_from_the_email_without_logging_in(reader_client, quiz):
    commitment_aged(reader_client, quiz, 31)
    follow_ups.queue_due()
    answer = FollowUp.objects.get()
    url = follow_ups.answer_url(answer)
    path = url[url.index("/quizzes/") :]
    browser = Client()

    page = browser.get(path).content.decode()
    missing = browser.post(path, {})
    done = browser.post(path, {"outcome": "partly", "barrier": "access", "barrier_details": "X"})
    again = browser.post(path, {"outcome": "no", "barrier": "time"})

    assert "Check eyes before each dose." in page and "Did you make the change" in page
    assert missing.status_code == 200 and "Choose an answer." in missing.content.decode()
    assert "Your answer is recorded" in done.content.decode()
    assert "already answered" in again.content.decode()
    answer.refresh_from_db()
    assert (answer.outcome, answer.barrier) == ("partly", "access")
    assert answer.answered_at is not None
    assert browser.get(path[:-3] + "xyz/").status_code == 400


def test_the_stop_link_stops_every_follow_up_without_logging_in(reader_client, quiz, reader):
    commitment = commitment_aged(reader_client, quiz, 31)
    url = follow_ups.stop_url(commitment)
    path = url[url.index("/quizzes/") :]

    confirm = Client().get(path)
    stopped = Client().post(path)  # one-click, from the mail client: no CSRF token

    assert "Stop the follow-up emails" in confirm.content.decode()
    assert stopped.status_code == 200
    assert Commitment.objects.get().follow_up_stopped_at is not None
    assert follow_ups.queue_due()[30] == 0
    assert Client().post(path.replace("/stop/", "x/stop/")).status_code == 400


# Data export and erasure


def test_export_and_erasure_cover_evaluations_commitments_follow_ups_and_certificates(
    reader_client, quiz, reader
):
    from accounts.personal_data import erase_personal_data, personal_data

    commitment_aged(reader_client, quiz, 31)
    follow_ups.queue_due()
    FollowUp.objects.update(outcome="partly", barrier="other", barrier_details="My clinic")
    evaluate(
        reader_client, quiz, free_of_bias="False", bias_comment="Named one brand", comments="Hi"
    )
    reader_client.get(reverse("quizzes:certificate", args=[quiz.pk]))

    data = personal_data(reader)["continuing_education"]
    assert data["evaluations"][0]["where_bias_was_seen"] == "Named one brand"
    assert data["commitments_to_change"][0]["commitment"] == "Check eyes before each dose."
    assert data["commitments_to_change"][0]["follow_ups"][0]["details"] == "My clinic"
    assert data["certificates"][0]["id"] == Certificate.objects.get().code

    erase_personal_data(reader)
    reader.delete()

    evaluation = Evaluation.objects.get()
    assert evaluation.user is None and evaluation.comments == ""
    assert "Named one brand" not in evaluation.bias_comment
    assert Commitment.objects.get().text == "" and Commitment.objects.get().user is None
    assert FollowUp.objects.get().barrier_details == ""
    assert not Certificate.objects.exists()
