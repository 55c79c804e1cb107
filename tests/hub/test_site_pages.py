"""Editable site pages, the funders statement and page, and the full main navigation."""

import pytest
from django.urls import reverse

from articles.models import Sponsor
from hub.models import Page
from tests.articles.factories import make_article, make_sponsor

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/about/", "About Us"),
        ("/privacy/", "Privacy policy"),
        ("/terms/", "Terms of use"),
        ("/accessibility/", "Accessibility statement"),
    ],
)
def test_site_pages_render_in_the_site_layout_without_the_gate(visitor, url, title):
    response = visitor.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in html
    assert '<a class="skip-link" href="#main">' in html


def test_editors_change_a_page_in_the_admin(client, make_editor):
    client.force_login(make_editor(is_superuser=True))
    about = Page.objects.get(slug="about")

    response = client.post(
        reverse("admin:hub_page_change", args=[about.pk]),
        {
            "hub": about.hub_id,
            "title": "About the Hub",
            "slug": "about",
            "body": "We are *independent*.<script>x</script>",
        },
    )

    assert response.status_code == 302
    html = client.get("/about/").content.decode()
    assert "<h1>About the Hub</h1>" in html and "<em>independent</em>" in html
    assert "<script>x</script>" not in html


def test_other_pages_live_under_pages(client):
    Page.objects.create(slug="faq", title="Questions", body="Answers.")

    assert client.get("/pages/faq/").status_code == 200
    assert client.get("/pages/nope/").status_code == 404


def test_footer_names_sponsors_by_funding_level(client):
    Sponsor.objects.all().delete()
    make_sponsor("Silverline", level=Sponsor.Level.SILVER)
    make_sponsor("Goldcrest", level=Sponsor.Level.GOLD)
    make_sponsor("Platinum Co", level=Sponsor.Level.PLATINUM)
    make_sponsor("Former Funder", level=Sponsor.Level.PLATINUM, is_active=False)

    html = client.get("/").content.decode()

    assert (
        "The Hub is an independent medical education platform, sponsored by Platinum Co, "
        "Goldcrest and Silverline. The levels of sponsorship listed are reflective of the "
        "amount of funding given." in html
    )
    assert '<a href="/funders/">View funders</a>' in html
    assert "Former Funder" not in html


def test_footer_statement_follows_sponsor_changes(client):
    Sponsor.objects.all().delete()
    sponsor = make_sponsor("Old Name")
    client.get("/")

    sponsor.name = "New Name"
    sponsor.save()

    html = client.get("/").content.decode()
    assert "sponsored by New Name." in html


def test_funders_page_lists_levels_links_and_supported_resources(client):
    Sponsor.objects.all().delete()
    gold = make_sponsor("Goldcrest", level=Sponsor.Level.GOLD, url="https://example.org/gold")
    make_article("Supported piece", sponsor=gold)
    make_article("Unpublished piece", sponsor=gold, published=False)

    html = client.get("/funders/").content.decode()

    assert "Gold funders" in html
    assert '<a href="https://example.org/gold" rel="noopener">Goldcrest</a>' in html
    assert "Supported piece" in html and "Unpublished piece" not in html


def test_main_navigation_has_every_section(client):
    html = client.get("/").content.decode()
    nav = html.split('aria-label="Main"')[1].split("</nav>")[0]

    for label in (
        "Home",
        "Articles",
        "Topics",
        "Newsletter",
        "About Us",
        "Steering Committee",
        "Funders",
        "Contact",
    ):
        assert f">{label}</a>" in nav
    # About Us, the Steering Committee and Funders are one group, named apart from its
    # first item (translated, "About" and "About Us" were both "Über uns").
    group = nav.split('<details class="nav-group">')[1].split("</details>")[0]
    assert ">About the Hub</summary>" in group
    assert ">Steering Committee</a>" in group and ">Funders</a>" in group
