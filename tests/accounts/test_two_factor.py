"""Two-factor authentication: optional for readers, required for staff before the admin."""

import time

import pytest
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

pytestmark = pytest.mark.django_db


def current_code(secret):
    """The code for now, made early enough in its period to be checked in the same one
    (allauth accepts no other period): near the end of one, wait for the next."""
    left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
    if left < 3:
        time.sleep(left + 0.05)
    counter = next(iter(yield_hotp_counters_from_time()))
    return f"{hotp_value(secret, counter):06d}"


def test_staff_without_two_factor_are_sent_to_set_it_up(client, make_user):
    editor = make_user("editor@example.com", is_staff=True, is_superuser=True)
    client.force_login(editor)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(response["Location"], follow=True).content.decode()
    assert "Set up two-factor authentication before you use the editors" in page


def test_staff_with_two_factor_reach_the_admin(client, make_editor):
    client.force_login(make_editor(is_superuser=True))

    assert client.get(reverse("admin:index")).status_code == 200


def test_readers_may_use_the_site_without_two_factor(client, reader):
    client.force_login(reader)

    assert client.get("/").status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_admin_login_is_the_desks_own_page(client):
    response = client.get(reverse("admin:login"))

    assert response.status_code == 200
    assert 'id="login-form"' in response.content.decode()


def test_editor_logs_in_with_password_and_code_then_reaches_the_admin(client, make_user, password):
    editor = make_user("editor@example.com", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(editor, secret)

    first = client.post(reverse("account_login"), {"login": editor.email, "password": password})
    assert first["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Incorrect code." in wrong.content.decode()
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})

    assert int(client.session["_auth_user_id"]) == editor.pk
    assert client.get(reverse("admin:index")).status_code == 200


def test_totp_secret_is_encrypted_at_rest(make_user):
    user = make_user()
    secret = generate_totp_secret()

    TOTP.activate(user, secret)

    stored = Authenticator.objects.get(user=user).data["secret"]
    assert stored != secret
    assert secret not in stored


def view_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.get(codename="view_article")


def test_staff_without_two_factor_cannot_preview_drafts(client, make_user):
    from tests.articles.factories import make_article

    editor = make_user("editor@example.com", is_staff=True)
    editor.user_permissions.add(view_permission())
    draft = make_article("Work in progress", published=False)
    client.force_login(editor)

    assert client.get(draft.get_absolute_url()).status_code == 404

    TOTP.activate(editor, generate_totp_secret())

    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "This article is not visible to readers (Draft)." in response.content.decode()


def test_superuser_without_two_factor_cannot_preview_drafts(client, make_user):
    from tests.articles.factories import make_article

    client.force_login(make_user("chief@example.com", is_staff=True, is_superuser=True))

    assert client.get(make_article(published=False).get_absolute_url()).status_code == 404


def test_permissions_need_two_factor_even_without_staff_status(make_user):
    helper = make_user("helper@example.com")
    helper.user_permissions.add(view_permission())
    helper = type(helper).objects.get(pk=helper.pk)

    assert not helper.has_perm("articles.view_article")
    assert not helper.has_perms(["articles.view_article"])
    assert not helper.has_module_perms("articles")


def test_async_permission_checks_need_two_factor_too(make_user):
    from asgiref.sync import async_to_sync

    chief = make_user("chief@example.com", is_staff=True, is_superuser=True)

    assert not async_to_sync(chief.ahas_perm)("articles.view_article")
    assert not async_to_sync(chief.ahas_module_perms)("articles")
    TOTP.activate(chief, generate_totp_secret())
    chief = type(chief).objects.get(pk=chief.pk)
    assert async_to_sync(chief.ahas_perms)(["articles.view_article"])


def test_staff_with_two_factor_keep_their_permissions(make_editor):
    editor = make_editor(is_superuser=True)

    assert editor.has_perm("articles.change_article")
    assert editor.has_perms(["articles.view_article", "articles.change_article"])
    assert editor.has_module_perms("articles")


def test_two_factor_is_looked_up_once_per_request(client, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.articles.factories import make_article

    editor = make_user("chief@example.com", is_staff=True, is_superuser=True)
    TOTP.activate(editor, generate_totp_secret())
    draft = make_article(published=False)
    client.force_login(editor)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(draft.get_absolute_url()).status_code == 200
        assert client.get(reverse("admin:index")).status_code == 200

    lookups = [q["sql"] for q in queries if "mfa_authenticator" in q["sql"]]
    assert len(lookups) == 2, lookups
