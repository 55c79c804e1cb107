"""The site frame, the home page, robots.txt and /healthz."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_has_the_site_frame(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert '<main id="main"' in html
    assert '<nav class="main-nav" aria-label="Main">' in html
    assert '<a href="/" aria-current="page">Home</a>' in html
    assert "<footer" in html


def test_anonymous_visitor_is_offered_log_in_and_sign_up(client):
    html = client.get("/").content.decode()

    assert f'href="{reverse("account_login")}"' in html
    assert f'href="{reverse("account_signup")}"' in html
    assert "My account" not in html


def test_logged_in_reader_gets_my_account_and_a_logout_form(client, reader):
    client.force_login(reader)

    html = client.get("/").content.decode()

    assert f'href="{reverse("accounts:my_account")}"' in html
    assert f'<form method="post" action="{reverse("account_logout")}">' in html
    assert "csrfmiddlewaretoken" in html
    assert "Sign up" not in html


def test_logout_is_a_post(client, reader):
    client.force_login(reader)

    client.post(reverse("account_logout"))

    assert "_auth_user_id" not in client.session


def test_my_account_needs_login(client):
    response = client.get(reverse("accounts:my_account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_my_account_shows_the_readers_email(client, reader):
    client.force_login(reader)

    response = client.get(reverse("accounts:my_account"))

    assert response.status_code == 200
    assert reader.email in response.content.decode()


def test_allauth_pages_use_the_hub_frame(client):
    html = client.get(reverse("account_login")).content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert re.search(r"<title>\s*Log in\s*· Hub</title>", html)


def test_robots_txt_keeps_crawlers_out_of_admin_and_accounts(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "User-agent: *" in body
    assert "Disallow: /admin/" in body
    assert "Disallow: /accounts/" in body


def test_unknown_page_is_a_404(client):
    assert client.get("/no-such-page/").status_code == 404


def test_home_sets_security_headers(client):
    response = client.get("/")

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_favicon_ico_leads_to_the_icon(visitor):
    response = visitor.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"


def test_sitemap_is_readable_without_the_gate(visitor):
    response = visitor.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
