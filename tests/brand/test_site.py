"""One save in the admin rebrands the site: header, titles, sharing tags, footer, emails,
on every page at once (stored pages included), with no extra query per page."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from brand.models import Brand, current
from newsletter.digest import digest_email
from newsletter.models import Subscriber
from pagecache.middleware import CACHE_HEADER
from tests.accounts.test_signup import signup_data
from tests.articles.factories import make_article
from tests.brand.conftest import SVG_LOGO, png_bytes
from tests.conftest import Client, declare_hcp
from tests.pagecache.through_wsgi import Browser

pytestmark = pytest.mark.django_db


def reader():
    return declare_hcp(Client())


def meta(html, key):
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    return found.group(1) if found else None


def title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def header(html):
    return re.search(r'<a class="site-name".*?</a>', html, re.S).group(0)


@pytest.fixture
def editor_client(make_editor):
    client = Client()
    client.force_login(make_editor(is_superuser=True))
    return client


def brand_form(**fields):
    return {
        "name": "Blood Matters",
        "tagline": "Haematology, explained by the people who study it",
        "accent": "#0b5d6b",
        **fields,
    }


def test_without_a_brand_the_name_is_the_setting(client, settings):
    settings.HUB_SITE_NAME = "Marrow Hub"

    html = client.get("/").content.decode()

    assert title(html) == "Marrow Hub"
    assert ">Marrow Hub</span>" in header(html)
    assert meta(html, "og:site_name") == "Marrow Hub"
    assert meta(html, "twitter:card") == "summary"
    assert "/brand.css" not in html, "the stylesheet's own colour needs no extra request"


def test_an_admin_edit_rebrands_stored_pages_at_once(
    editor_client, django_capture_on_commit_callbacks
):
    article = make_article("Bispecifics in myeloma")
    for path in ("/", article.get_absolute_url()):
        Browser().get(path)
        assert Browser().get(path)[CACHE_HEADER] == "hit"

    with django_capture_on_commit_callbacks(execute=True):  # the save commits
        response = editor_client.post(
            reverse("admin:brand_brand_add"),
            {
                **brand_form(),
                "logo": SimpleUploadedFile("mark.svg", SVG_LOGO, "image/svg+xml"),
                "social_image": SimpleUploadedFile(
                    "share.png", png_bytes((1200, 630)), "image/png"
                ),
            },
        )

    assert response.status_code == 302, response.content.decode()
    home = Browser().get("/")
    page = Browser().get(article.get_absolute_url())
    assert home[CACHE_HEADER] == page[CACHE_HEADER] == "miss"
    html, article_html = home.text(), page.text()
    assert title(html) == "Blood Matters — Haematology, explained by the people who study it"
    assert title(article_html) == "Bispecifics in myeloma · Blood Matters"
    logo = re.search(r'<img class="site-name__logo" src="([^"]+)" alt="Blood Matters" '
                     r'width="96" height="48">', header(html))  # fmt: skip
    assert logo and logo.group(1).startswith("/media/brand/mark")
    assert meta(html, "og:site_name") == meta(article_html, "og:site_name") == "Blood Matters"
    assert meta(article_html, "og:title") == "Bispecifics in myeloma"
    assert meta(article_html, "og:type") == "article"
    image = meta(article_html, "og:image")
    assert re.fullmatch(r"http://testserver/media/brand/share\w*\.png", image)
    assert meta(html, "og:image") == meta(article_html, "twitter:image") == image
    assert meta(article_html, "twitter:card") == "summary_large_image"
    assert (
        "<strong>Blood Matters</strong> — Haematology, explained by the people who study it" in html
    )
    assert "Welcome to the Blood Matters" in html
    assert re.search(r'<link rel="stylesheet" href="/brand.css\?v=\w+">', html)


def test_an_edit_of_the_existing_brand_shows_on_the_next_page(editor_client):
    brand = Brand.objects.create(name="Old Name")
    reader().get("/topics/")
    assert "Old Name" in reader().get("/topics/").content.decode()

    editor_client.post(reverse("admin:brand_brand_change", args=[brand.pk]), brand_form())

    html = reader().get("/topics/").content.decode()
    assert title(html) == "Topics · Blood Matters"
    assert "Old Name" not in html


def test_a_page_title_and_description_fill_the_sharing_tags(client):
    Brand.objects.create(name="Blood Matters", tagline="Haematology, explained")

    html = client.get("/topics/").content.decode()

    assert meta(html, "og:title") == meta(html, "twitter:title") == "Topics"
    assert meta(html, "og:description") == meta(html, "description") == "Haematology, explained"
    assert meta(html, "og:url") == "http://testserver/topics/"


def test_a_title_with_markup_characters_is_escaped_once(client):
    Brand.objects.create(name="Blood Matters")
    article = make_article("Myeloma & the kidney: <review>")

    html = client.get(article.get_absolute_url()).content.decode()

    expected = "Myeloma &amp; the kidney: &lt;review&gt;"
    assert f"<title>{expected} · Blood Matters</title>" in html
    assert f'<meta property="og:title" content="{expected}">' in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html


def test_emails_speak_in_the_brands_name(client, settings, reader):
    Brand.objects.create(name="Blood Matters")
    settings.HUB_CONTACT_EMAILS = ["editors@example.org"]

    client.post(reverse("account_reset_password"), {"email": reader.email})
    Client().post(reverse("account_signup"), signup_data())
    client.post(reverse("newsletter:subscribe"), {"email": "news@example.org"})
    Client().post(
        reverse("contact"),
        {"name": "Ada", "email": "ada@example.org", "subject": "Hi", "message": "Thanks"},
    )

    reset, _account, confirm_newsletter, contact = mail.outbox
    for message in mail.outbox:
        assert message.from_email == "Blood Matters <noreply@hub.localhost>"
        assert "The Blood Matters team" in message.body or contact is message
        (html, kind) = message.alternatives[0]
        assert kind == "text/html" and ">Blood Matters</a>" in html
    assert "your Blood Matters account" in reset.body
    assert "Blood Matters newsletter" in confirm_newsletter.body
    assert contact.subject == "Contact form: Hi"


def test_a_png_logo_is_stored_and_measured_for_the_header(editor_client):
    editor_client.post(
        reverse("admin:brand_brand_add"),
        {**brand_form(), "logo": SimpleUploadedFile("mark.png", png_bytes((120, 40)), "image/png")},
    )

    brand = Brand.objects.get()
    assert (brand.logo_width, brand.logo_height) == (120, 40)
    assert brand.logo.read() == png_bytes((120, 40))
    assert 'alt="Blood Matters" width="120" height="40"' in reader().get("/").content.decode()


def test_the_digest_speaks_in_the_brands_name():
    Brand.objects.create(name="Blood Matters")
    subscriber = Subscriber.objects.create(email="news@example.org")

    message = digest_email(subscriber, [make_article("New CAR T data")])

    assert message.subject == "New articles for you"
    assert message.from_email == "Blood Matters <noreply@hub.localhost>"
    assert "The Blood Matters editors" in message.body
    assert "The Blood Matters editors" in message.alternatives[0][0]


def test_a_hub_has_only_ever_one_brand(editor_client):
    brand = Brand.objects.create(name="Blood Matters")

    with pytest.raises(IntegrityError):
        Brand.objects.create(hub=brand.hub, name="A second brand")


def test_the_database_refuses_an_accent_that_is_not_hex():
    with pytest.raises(IntegrityError):
        Brand.objects.bulk_create([Brand(name="Blood Matters", accent="red")])


def test_the_admin_edits_the_one_brand_and_offers_no_add_or_delete(editor_client):
    assert editor_client.get(reverse("admin:brand_brand_changelist"))["Location"] == reverse(
        "admin:brand_brand_add"
    )
    brand = Brand.objects.create(name="Blood Matters")

    changelist = editor_client.get(reverse("admin:brand_brand_changelist"))
    change = editor_client.get(reverse("admin:brand_brand_change", args=[brand.pk])).content
    change = change.decode()

    assert changelist["Location"] == reverse("admin:brand_brand_change", args=[brand.pk])
    assert editor_client.get(reverse("admin:brand_brand_add")).status_code == 403
    delete = reverse("admin:brand_brand_delete", args=[brand.pk])
    assert editor_client.get(delete).status_code == 403
    assert "Save and add another" not in change and "deletelink" not in change


def test_the_admin_shows_why_a_colour_or_logo_is_refused(editor_client):
    response = editor_client.post(
        reverse("admin:brand_brand_add"),
        {
            **brand_form(accent="#ff9900"),
            "logo": SimpleUploadedFile(
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                "image/svg+xml",
            ),
        },
    )

    html = response.content.decode()
    assert response.status_code == 200 and not Brand.objects.exists()
    assert "contrast against white is 2.14:1" in html
    assert "The SVG contains the attribute “onload”" in html


def test_the_accent_stylesheet_is_cached_for_long_under_its_versioned_address(client):
    Brand.objects.create(name="Blood Matters", accent="#0b5d6b")
    address = current().stylesheet_url

    css = client.get(address)
    stale = client.get(reverse("brand:stylesheet") + "?v=old")

    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert css.content.decode().strip() == (
        ":root { --brand-accent: #0b5d6b; --brand-accent-dark: #084650; }"
    )
    assert css["Cache-Control"] == "public, max-age=31536000, immutable"
    assert stale["Cache-Control"] == "public, max-age=60"
    assert Client().get(address).status_code == 200, "no HCP declaration needed for a stylesheet"


def test_the_brand_costs_no_query_once_cached(client, django_assert_num_queries):
    Brand.objects.create(name="Blood Matters")
    current()

    with django_assert_num_queries(0):
        assert current().name == "Blood Matters"


def test_the_home_page_query_count_is_unchanged_by_a_brand(client, django_assert_max_num_queries):
    Brand.objects.create(name="Blood Matters", logo="brand/x.svg", logo_width=1, logo_height=1)
    client.get("/")  # warm the caches, as in production

    with django_assert_max_num_queries(6):  # tests/articles/test_listings.py's budget
        assert "Blood Matters" in client.get("/").content.decode()
