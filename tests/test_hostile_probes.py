"""What a stranger's probes found: crafted input that gave a 500 now gets a clear answer."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hub.models import ContactMessage
from tests.articles.factories import make_article

pytestmark = pytest.mark.django_db

BARE_WORDS = ["abc", "home", "articles:list", "javascript:alert(1)", "//evil.example/", "/\\evil"]


@pytest.mark.parametrize("next_url", BARE_WORDS)
@pytest.mark.parametrize(
    "endpoint", ["hcp_declare", "dismiss_panel", "consent:accept_all", "consent:reject_all"]
)
def test_a_crafted_next_sends_the_visitor_home(visitor, endpoint, next_url):
    response = visitor.post(reverse(endpoint), {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("next_url", BARE_WORDS)
def test_a_crafted_next_on_a_bookmark_goes_back_to_the_article(client, reader, next_url):
    article = make_article()
    client.force_login(reader)

    response = client.post(reverse("accounts:bookmark", args=[article.pk]), {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()


def test_a_same_site_path_is_kept(visitor):
    response = visitor.post(reverse("hcp_declare"), {"next": "/articles/?type=interview"})

    assert response["Location"] == "/articles/?type=interview"


def test_a_failing_mail_server_does_not_fail_the_contact_form(visitor, settings, task_queue):
    settings.HUB_CONTACT_EMAILS = ["editors@example.org"]
    settings.EMAIL_BACKEND = "tests.common.failing_email.EmailBackend"
    message = {
        "name": "Dr Ada",
        "email": "ada@example.org",
        "subject": "A correction",
        "message": "Reference 3 has the wrong year.",
        "website": "",
    }

    response = visitor.post(reverse("contact"), message)

    assert response.status_code == 302
    assert response["Location"] == reverse("contact_thanks")
    assert ContactMessage.objects.count() == 1
    (queued,) = DBTaskResult.objects.all()
    assert queued.status == "READY"
    assert queued.args_kwargs["args"][0]["to"] == ["editors@example.org"]
