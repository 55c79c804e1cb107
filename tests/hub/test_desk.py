"""The editors' desk (hub.desk): its own staff log-in, sections editors recognise, the
brand's name and a dashboard of what needs them."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from brand.models import Brand
from common.mail import deliver_email
from common.tasks import TaskResultStatus
from tests.accounts.test_two_factor import current_code
from tests.articles.factories import make_article
from tests.quizzes.factories import make_quiz

pytestmark = pytest.mark.django_db


def sections(html):
    return [
        name.strip()
        for name in re.findall(r'<caption>\s*<span class="section">([^<]+)</span>', html)
    ]


def rows_of(html, section_id):
    """The link texts of one dashboard panel."""
    panel = re.search(rf'aria-labelledby="{section_id}">(.*?)</section>', html, re.S).group(1)
    return [text.strip() for text in re.findall(r"<li><a [^>]*>([^<]+)</a>", panel)]


# The log-in


def test_the_admin_asks_for_a_log_in_on_its_own_page(client):
    start = client.get(reverse("admin:index"))
    assert start["Location"] == f"{reverse('admin:login')}?next={reverse('admin:index')}"

    page = client.get(start["Location"])

    assert page.status_code == 200
    html = page.content.decode()
    assert "editors’ desk" in html
    assert 'id="login-form"' in html and 'name="login"' in html and 'name="password"' in html
    assert "sign up" not in html.lower()


def test_an_editor_logs_in_with_password_then_code(client, make_user, password):
    editor = make_user("editor@example.com", is_staff=True)
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)
    login = f"{reverse('admin:login')}?next={reverse('admin:index')}"

    first = client.post(login, {"login": editor.email, "password": password})

    assert first.status_code == 302
    assert first["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone opens nothing
    done = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert done["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_without_two_factor_are_led_to_set_it_up(client, make_user, password):
    editor = make_user("editor@example.com", is_staff=True)

    response = client.post(
        reverse("admin:login"), {"login": editor.email, "password": password}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")


def test_a_reader_cannot_log_in_to_the_desk(client, reader, password):
    response = client.post(reverse("admin:login"), {"login": reader.email, "password": password})

    assert response.status_code == 200
    assert "this account is not an editor’s" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_logged_in_reader_is_told_the_desk_is_not_theirs(client, reader):
    client.force_login(reader)

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    assert "which is not an editor’s account" in response.content.decode()
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 302


def test_wrong_passwords_are_rate_limited_as_on_the_site(client, make_editor, password):
    editor = make_editor()
    html = ""
    for _attempt in range(12):
        html = client.post(
            reverse("admin:login"), {"login": editor.email, "password": "wrong"}
        ).content.decode()
        if "Too many failed login attempts" in html:
            break

    assert "Too many failed login attempts" in html
    right = client.post(reverse("admin:login"), {"login": editor.email, "password": password})
    assert right.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_an_unsafe_next_address_is_ignored(client, make_user, password):
    editor = make_user("editor@example.com", is_staff=True)

    response = client.post(
        f"{reverse('admin:login')}?next=https://evil.example/",
        {"login": editor.email, "password": password},
        follow=True,
    )

    assert all("evil.example" not in url for url, _status in response.redirect_chain)


# The index


def test_the_index_groups_the_models_for_editors(client, make_editor):
    client.force_login(make_editor(is_superuser=True))

    html = client.get(reverse("admin:index")).content.decode()

    assert sections(html) == ["Content", "Readers", "Outcomes", "Settings", "Technical"]
    content = html.split('class="section">Content</span>')[1].split("</table>")[0]
    assert ">Articles</a>" in content and ">Quizzes</a>" in content
    assert html.count("Cookie consent") == 0
    technical = html.split('class="section">Technical</span>')[1].split("</table>")[0]
    assert ">Task Results</a>" in technical
    assert ">Email addresses</a>" in technical
    assert ">Outcomes by topic</a>" in html


def test_editors_do_not_see_the_technical_models(client, make_editor):
    editor = make_editor()
    editor.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["articles", "quizzes", "django_tasks_database", "mfa"]
        )
    )
    client.force_login(editor)

    html = client.get(reverse("admin:index")).content.decode()

    assert sections(html) == ["Content", "Outcomes", "Settings"]
    assert "Task Results" not in html and "Authenticators" not in html
    # An app's own page is still Django's, for the breadcrumbs.
    assert client.get(reverse("admin:app_list", args=["articles"])).status_code == 200


def test_the_desk_is_named_after_the_brand(client, make_editor):
    Brand.objects.create(name="Myeloma Desk Weekly")
    client.force_login(make_editor(is_superuser=True))

    html = client.get(reverse("admin:index")).content.decode()

    assert "<title>Editors’ desk | Myeloma Desk Weekly editors’ desk</title>" in html
    assert "Hub editors' desk" not in html


# The dashboard


def failed_email(subject):
    return DBTaskResult.objects.create(
        task_path=deliver_email.module_path,
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [{"subject": subject, "to": ["x@example.com"]}, 5], "kwargs": {}},
        finished_at=timezone.now(),
        backend_name="default",
        queue_name="default",
        priority=0,
        run_after=timezone.now(),
        exception_class_path="smtplib.SMTPServerDisconnected",
        traceback="Connection unexpectedly closed",
    )


def fill_the_desk(n):
    for i in range(n):
        make_article(f"Draft {i}", published=False)
        make_article(f"Soon {i}", age=-timedelta(days=i + 1))
        make_article(f"Live {i}", age=timedelta(days=i + 1))
        failed_email(f"Newsletter {i}")


def test_the_dashboard_shows_what_needs_the_editor(client, make_editor, make_user, task_queue):
    from tests.quizzes.outcomes_data import Reader, take_planned

    fill_the_desk(2)
    quiz = make_quiz(make_article("Quizzed"), title="A quick quiz on relapse")
    reader = make_user("answering@example.com")
    take_planned(quiz, reader, Reader("physician", "haematology", "GB", [1, 1, 0], [1, 1, 1]))
    client.force_login(make_editor(is_superuser=True))

    html = client.get(reverse("admin:index")).content.decode()

    assert rows_of(html, "desk-drafts") == ["Draft 1", "Draft 0"]
    assert rows_of(html, "desk-scheduled") == ["Soon 0", "Soon 1"]
    assert rows_of(html, "desk-published")[:3] == ["Quizzed", "Live 0", "Live 1"]
    assert rows_of(html, "desk-results") == ["A quick quiz on relapse"]
    assert "2 new attempts" in html
    assert rows_of(html, "desk-failed") == [
        "“Newsletter 1” to x@example.com (attempt 5)",
        "“Newsletter 0” to x@example.com (attempt 5)",
    ]
    assert reverse("admin:quizzes_quiz_results", args=[quiz.pk]) in html
    failed_list = client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"status__exact": "FAILED", "work": "email"},
    )
    assert failed_list.status_code == 200
    assert "Newsletter 0" in failed_list.content.decode()


def test_the_dashboard_costs_the_same_queries_however_full(
    client, make_editor, django_assert_max_num_queries
):
    client.force_login(make_editor(is_superuser=True))
    fill_the_desk(1)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("admin:index"))
    fill_the_desk(8)

    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("admin:index")).content.decode()
    assert len(rows_of(html, "desk-drafts")) == 5


def test_an_editor_sees_only_the_panels_they_may_open(client, make_editor):
    editor = make_editor()
    editor.user_permissions.add(Permission.objects.get(codename="view_article"))
    failed_email("Hidden")
    client.force_login(editor)

    html = client.get(reverse("admin:index")).content.decode()

    assert 'id="desk-drafts"' in html
    assert 'id="desk-failed"' not in html and "Hidden" not in html
    assert 'id="desk-results"' not in html


def test_the_desks_pages_are_valid_html(client, make_editor, reader, password):
    from tests.tools import html_problems

    documents = {
        "staff log-in": client.get(reverse("admin:login")).content.decode(),
        "staff log-in, reader refused": client.post(
            reverse("admin:login"), {"login": reader.email, "password": password}
        ).content.decode(),
    }
    client.force_login(reader)
    documents["not an editor"] = client.get(reverse("admin:login")).content.decode()
    fill_the_desk(1)
    client.force_login(make_editor(is_superuser=True))
    documents["index"] = client.get(reverse("admin:index")).content.decode()
    article = make_article("Grading CRS", objectives=["Grade CRS"])
    documents["article form"] = client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()

    assert html_problems(documents) == []
