"""Every page type is valid HTML according to the Nu checker."""

import pytest
from django.urls import reverse

from articles.models import Article, Expert, Topic
from hub.demo.loader import load_demo
from tests.tools import html_problems

pytestmark = pytest.mark.django_db


def test_site_pages_are_valid_html(client, reader):
    load_demo()
    article = Article.objects.get(slug="rationale-targeted-therapies-early-relapsed-myeloma")
    anonymous = {
        "home": "/",
        "not found": "/no-such-page/",
        "article": article.get_absolute_url(),
        "article list": reverse("articles:list"),
        "article list by type": reverse("articles:list") + "?type=interview",
        "topic list": reverse("articles:topic_list"),
        "topic": Topic.objects.filter(parent__isnull=False).first().get_absolute_url(),
        "expert": Expert.objects.first().get_absolute_url(),
        "steering committee": reverse("articles:steering_committee"),
        "search": reverse("articles:search") + "?q=myeloma",
        "empty search": reverse("articles:search"),
        "log in": reverse("account_login"),
        "sign up": reverse("account_signup"),
        "password reset": reverse("account_reset_password"),
    }
    documents = {}
    for name, url in anonymous.items():
        documents[name] = client.get(url).content.decode()
    client.force_login(reader)
    for name, url in {
        "my account": reverse("accounts:my_account"),
        "email addresses": reverse("account_email"),
        "two-factor": reverse("mfa_index"),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, name
        documents[name] = response.content.decode()

    assert html_problems(documents) == []
