"""Two app servers behave as one site, and survive their database connections dropping.

Two gunicorn processes with production settings on two loopback ports share the test
PostgreSQL database and a Redis database: what one server does, the other sees at
once. PostgreSQL only (the servers need a database another process can reach).
"""

import os
import secrets
import subprocess
import sys
import time

import psycopg
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from hub.models import Page
from tests.accounts.test_two_factor import current_code
from tests.articles.factories import make_article
from tests.http_client import Browser
from tests.tools import ROOT

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="app servers in other processes need PostgreSQL",
    ),
]


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Production pages name hashed static files: collect them, as a deploy does."""
    root = tmp_path_factory.mktemp("static")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HUB_"))}
    env.update({"DJANGO_DEBUG": "off", "DJANGO_SECRET_KEY": "collect", "DJANGO_BASE_URL": "x",
                "DJANGO_ALLOWED_HOSTS": "x", "DJANGO_MFA_ENCRYPTION_KEY": "x",
                "DJANGO_STATIC_ROOT": str(root)})  # fmt: skip
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    return root


@pytest.fixture
def servers(transactional_db, static_root, redis_url, redis_prefix):
    database = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HUB_"))}
    env.update(
        {
            "DJANGO_DEBUG": "off",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_MFA_ENCRYPTION_KEY": secrets.token_urlsafe(50),
            # Two-factor secrets stored by this test process are under a key derived
            # from its own secret key: the servers know it as an older key.
            "DJANGO_SECRET_KEY_FALLBACKS": settings.SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_BASE_URL": "https://127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "off",
            "DATABASE_URL": (
                f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
                f"{database['PORT'] or 5432}/{database['NAME']}"
            ),
            "REDIS_URL": redis_url,
            "DJANGO_STATIC_ROOT": str(static_root),
            "DJANGO_CACHE_PREFIX": redis_prefix,
        }
    )
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "hub.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--no-control-socket",
                "--forwarded-allow-ips",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    try:
        for port in ports:
            wait_until_up(port)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def wait_until_up(port):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if Browser().get(port, "/healthz").status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no server on port {port}")


def log_in(browser, port, user, password):
    """Log in through a server, which knows only the production password hashers."""
    user.password = PBKDF2PasswordHasher().encode(password, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return browser.post(port, "/accounts/login/", {"login": user.email, "password": password})


def test_a_session_started_on_one_is_valid_on_the_other(servers, reader, password):
    one, other = servers
    browser = Browser()

    assert log_in(browser, one, reader, password).status == 302
    page = browser.get(other, "/accounts/")

    assert page.status == 200 and reader.email in page.text


def test_a_bookmark_made_on_one_shows_on_the_other(servers, reader, password):
    one, other = servers
    article = make_article("Bookmarked across servers")
    browser = Browser()
    log_in(browser, one, reader, password)

    saved = browser.post(
        one, f"/accounts/bookmarks/{article.pk}/", {"action": "add"}, token_from="/articles/"
    )
    listed = browser.get(other, "/accounts/bookmarks/")

    assert saved.status == 302
    assert "Bookmarked across servers" in listed.text


def test_a_rate_limit_counted_on_one_holds_on_the_other(servers):
    one, other = servers
    browser = Browser()
    message = {
        "name": "Dr Ada",
        "email": "ada@example.org",
        "subject": "Again",
        "message": "Counting across servers.",
        "website": "",
    }

    sent = [browser.post(one, "/contact/", message).status for _ in range(5)]
    refused = browser.post(other, "/contact/", message)

    assert sent == [302] * 5
    assert refused.status == 200 and "Please try again in an hour" in refused.text


def test_an_edit_through_one_is_on_the_others_cached_pages_at_once(servers, make_editor, password):
    one, other = servers
    Page.objects.update_or_create(
        slug="about", defaults={"title": "About Us", "body": "The first words."}
    )
    editor = make_editor(is_superuser=True)
    secret = generate_totp_secret()
    Authenticator.objects.filter(user=editor).delete()
    TOTP.activate(editor, secret)
    reader = Browser()
    reader.cookies["hub_hcp"] = hcp_cookie_value_for(servers)
    reader.get(other, "/about/")
    assert reader.get(other, "/about/").getheader("X-Cache") == "hit"

    desk = Browser()
    log_in(desk, one, editor, password)
    desk.post(one, "/accounts/2fa/authenticate/", {"code": current_code(secret)})
    page = Page.objects.get(slug="about")
    saved = desk.post(
        one,
        f"/admin/hub/page/{page.pk}/change/",
        {"hub": page.hub_id, "title": "About Us", "slug": "about", "body": "The corrected words."},
    )
    # The change's NOTIFY reaches the other server in well under a millisecond on an idle
    # machine; a request in that instant may still get the copy (pagecache/CONTRACT.md),
    # and on a loaded one the instant is longer: within two seconds, not never.
    deadline = time.monotonic() + 2
    after = reader.get(other, "/about/")
    while "The corrected words." not in after.text and time.monotonic() < deadline:
        time.sleep(0.02)
        after = reader.get(other, "/about/")

    assert saved.status == 302
    assert "The corrected words." in after.text


def hcp_cookie_value_for(servers):
    """The servers sign with their own key: get the declaration cookie from one of them."""
    browser = Browser()
    browser.post(servers[0], "/hcp/declare/", {"next": "/"}, token_from="/articles/")
    return browser.cookies["hub_hcp"]


def test_requests_succeed_after_postgresql_drops_the_connections(servers):
    one, _ = servers
    make_article("Still reachable")
    declared = Browser()
    declared.cookies["hub_hcp"] = hcp_cookie_value_for(servers)
    assert declared.get(one, "/search/?q=reachable").status == 200

    database = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (ours,) = cursor.fetchone()
    with psycopg.connect(
        dbname="postgres", host=database["HOST"] or "127.0.0.1", user=database["USER"],
        port=database["PORT"] or 5432, autocommit=True,
    ) as admin:  # fmt: skip
        dropped = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid NOT IN (pg_backend_pid(), %s)",
            [database["NAME"], ours],
        ).fetchone()[0]

    response = declared.get(one, "/search/?q=reachable")

    assert dropped >= 1
    assert response.status == 200 and "Still reachable" in response.text
