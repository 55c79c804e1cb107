"""Every page type is valid HTML according to the Nu checker."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Bookmark
from articles.models import Article, Expert, Topic
from demo.loader import load_demo
from tests.articles.factories import image_upload, make_article, make_expert, make_topic
from tests.conftest import Client
from tests.quizzes.factories import ALL_RIGHT, ONE_RIGHT, answers, make_quiz
from tests.tools import html_problems


def demo_article_without_quiz():
    return Article.objects.filter(quiz__isnull=True).first()


pytestmark = pytest.mark.django_db


def fetch(client, pages):
    documents = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        documents[name] = response.content.decode()
    return documents


def test_site_pages_are_valid_html(client, reader, make_editor):
    load_demo(pictures=True)  # pictures, patterns and initials all appear
    demo = Article.objects.get(slug="rationale-targeted-therapies-early-relapsed-myeloma")
    interview = make_article(
        "A video interview",
        body="# Top heading\n\nCited [1] in NCT04246047.",
        question="Why NCT04484623?",
        introduction="Intro.",
        video_url="https://youtu.be/dQw4w9WgXcQ",
        video_duration=timedelta(minutes=3, seconds=5),
        lead_image=image_upload(),
        lead_image_alt="A poster",
        transcript="**Q:** Again [1].",
        experts=[make_expert("Dr Video")],
        topics=[make_topic()],
        references=[{"authors": "A", "title": "T", "url": "https://example.org"}],
        objectives=["Describe NCT03651128"],
    )
    draft = make_article("Draft", published=False)
    documents = fetch(
        client,
        {
            "home": "/",
            "article": demo.get_absolute_url(),
            "interview with video": interview.get_absolute_url(),
            "article list": reverse("articles:list"),
            "article list by type": reverse("articles:list") + "?type=interview",
            "topic list": reverse("articles:topic_list"),
            "topic": Topic.objects.filter(parent__isnull=False).first().get_absolute_url(),
            "expert": Expert.objects.first().get_absolute_url(),
            "steering committee": reverse("articles:steering_committee"),
            "search": reverse("articles:search") + "?q=myeloma",
            "search without results": reverse("articles:search") + "?q=zebrafish",
            "empty search": reverse("articles:search"),
            "log in": reverse("account_login"),
            "sign up": reverse("account_signup"),
            "password reset": reverse("account_reset_password"),
            "about": "/about/",
            "privacy": "/privacy/",
            "funders": reverse("funders"),
            "cookie settings": reverse("cookie_settings"),
            "newsletter": reverse("newsletter:subscribe"),
            "newsletter check email": reverse("newsletter:check_email"),
            "contact": reverse("contact"),
            "contact thanks": reverse("contact_thanks"),
        },
    )
    documents["not found"] = client.get("/no-such-page/").content.decode()
    documents["HCP gate"] = Client().get(demo.get_absolute_url()).content.decode()

    Bookmark.objects.create(user=reader, article=demo)
    reader.interests.add(Topic.objects.first())
    client.force_login(reader)
    documents |= {
        f"{name} (logged in)": html
        for name, html in fetch(
            client,
            {
                "home": "/",
                "article": demo.get_absolute_url(),
                "my account": reverse("accounts:my_account"),
                "profile": reverse("accounts:profile"),
                "interests": reverse("accounts:interests") + "?welcome=1",
                "bookmarks": reverse("accounts:bookmarks"),
                "recommended": reverse("accounts:recommended"),
                "your data": reverse("accounts:delete_account"),
                "email addresses": reverse("account_email"),
                "password": reverse("account_change_password"),
                "two-factor": reverse("mfa_index"),
            },
        ).items()
    }
    quiz = make_quiz(demo_article_without_quiz())
    client.post(reverse("quizzes:take", args=[quiz.pk, "before"]), answers(quiz, ONE_RIGHT))
    documents["quiz"] = client.get(
        reverse("quizzes:take", args=[quiz.pk, "after"])
    ).content.decode()
    documents["quiz errors"] = client.post(
        reverse("quizzes:take", args=[quiz.pk, "after"]), {}
    ).content.decode()
    documents["quiz pre result"] = client.get(
        reverse("quizzes:result", args=[quiz.pk])
    ).content.decode()
    documents["article after the pre-test"] = client.get(
        quiz.article.get_absolute_url()
    ).content.decode()
    for article in Article.objects.published():
        Bookmark.objects.get_or_create(user=reader, article=article)
    started = make_quiz(interview)
    client.post(reverse("quizzes:take", args=[started.pk, "before"]), answers(started, ONE_RIGHT))
    home = client.get("/").content.decode()
    assert "Your next quiz step" in home and "Continue with your bookmarks" in home
    documents["home with bookmarks and a quiz to finish"] = home
    client.post(reverse("quizzes:take", args=[quiz.pk, "after"]), answers(quiz, ALL_RIGHT))
    documents["quiz comparison"] = client.get(
        reverse("quizzes:result", args=[quiz.pk])
    ).content.decode()
    documents["article after both quizzes"] = client.get(
        quiz.article.get_absolute_url()
    ).content.decode()
    documents["quiz history"] = client.get(reverse("quizzes:history")).content.decode()
    documents |= cme_pages(client)
    client.post(reverse("consent:accept_all"), {"next": "/"})
    documents["article with translation"] = client.get(demo.get_absolute_url()).content.decode()
    client.force_login(make_editor(is_superuser=True))
    documents["draft preview"] = client.get(draft.get_absolute_url()).content.decode()
    documents["your data with two-factor, errors"] = client.post(
        reverse("accounts:delete_account"), {}
    ).content.decode()
    documents |= outcomes_pages(client)

    assert html_problems(documents) == []


def cme_pages(client):
    """After the post-test: the evaluation, the certificate, the pages reached from a
    follow-up email, and a certificate's public check."""
    from django.utils import timezone

    from quizzes import follow_ups
    from quizzes.models import Certificate, Commitment

    quiz = make_quiz(make_article(is_cme=False))
    client.post(reverse("quizzes:take", args=[quiz.pk, "before"]), answers(quiz, ONE_RIGHT))
    client.post(
        reverse("quizzes:take", args=[quiz.pk, "after"]),
        {**answers(quiz, ALL_RIGHT), "commitment": "Check eyes before each dose."},
    )
    pages = {
        "quiz comparison with commitment": client.get(reverse("quizzes:result", args=[quiz.pk])),
        "certificate": client.get(reverse("quizzes:certificate", args=[quiz.pk])),
        "evaluation form": client.get(reverse("quizzes:evaluate", args=[quiz.pk])),
        "evaluation form with errors": client.post(
            reverse("quizzes:evaluate", args=[quiz.pk]), {"free_of_bias": "False"}
        ),
    }
    commitment = Commitment.objects.get(quiz=quiz)
    Commitment.objects.filter(pk=commitment.pk).update(
        created_at=timezone.now() - timedelta(days=31)
    )
    follow_ups.queue_due()
    answer = commitment.follow_ups.get()
    path = "/" + follow_ups.answer_url(answer).split("://", 1)[1].split("/", 1)[1]
    stop = "/" + follow_ups.stop_url(commitment).split("://", 1)[1].split("/", 1)[1]
    code = Certificate.objects.get(quiz=quiz).code
    pages |= {
        "follow-up form": client.get(path),
        "follow-up form with errors": client.post(path, {}),
        "stop follow-ups": client.get(stop),
        "certificate verified": client.get(reverse("quizzes:verify_certificate", args=[code])),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in pages.items()}


def outcomes_pages(editor_client):
    """The editors' outcomes pages on a quiz answered by a generated set of readers."""
    from tests.articles.factories import make_topic
    from tests.quizzes.outcomes_data import build_known

    quiz, _plan = build_known()
    topic = make_topic("Outcomes topic")
    quiz.article.topics.add(topic)
    results = reverse("admin:quizzes_quiz_results", args=[quiz.pk])
    pages = fetch(
        editor_client,
        {
            "outcomes": results,
            "outcomes by profession": results + "?by=profession",
            "outcomes, bad dates": results + "?since=2026-02-31&until=x",
            "quiz preview": reverse("admin:quizzes_quiz_preview", args=[quiz.pk]),
            "locked quiz": reverse("admin:quizzes_quiz_change", args=[quiz.pk]),
            "outcomes by topic": reverse("admin:quizzes_quiz_topics"),
            "topic outcomes": reverse("admin:quizzes_quiz_topic_outcomes", args=[topic.slug]),
            "topic outcomes by country": reverse(
                "admin:quizzes_quiz_topic_outcomes", args=[topic.slug]
            )
            + "?by=country",
        },
    )
    # Django's own navigation sidebar lists models in tables of uneven rows; ours is the rest.
    sidebar = re.compile(r'<nav class="sticky" id="nav-sidebar".*?</nav>', re.S)
    return {name: sidebar.sub("", html) for name, html in pages.items()}
