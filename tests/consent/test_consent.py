"""Cookie consent: nothing optional before a choice, every choice recorded, declines cleaned."""

import pytest
from cookie_consent.models import Cookie, CookieGroup
from django.urls import reverse

from consent.models import ConsentRecord, ConsentTally

pytestmark = pytest.mark.django_db

ANALYTICS = "https://stats.example.org/script.js"
NECESSARY = {"sessionid", "csrftoken", "hub_hcp", "cookie_consent", "messages", "django_language"}


def tallies():
    return sorted(ConsentTally.objects.values_list("group", "action", "count"))


def choose(client, **choices):
    return client.post(reverse("consent:choose"), {"next": reverse("cookie_settings"), **choices})


@pytest.fixture(autouse=True)
def analytics(settings):
    settings.HUB_ANALYTICS_SCRIPT_URL = ANALYTICS


def test_first_visit_shows_the_banner_and_sets_nothing_optional(client):
    response = client.get("/")

    html = response.content.decode()
    assert "Cookies on the Hub" in html
    assert ">Accept all</button>" in html and ">Reject all</button>" in html
    assert ">Manage cookies</a>" in html
    assert set(response.cookies) <= NECESSARY
    assert ANALYTICS not in html
    assert "stats.example.org" not in response["Content-Security-Policy"]
    assert "translate.google.com" not in response["Content-Security-Policy"]
    assert "translate.google.com" not in html


def test_accept_all_records_loads_scripts_and_hides_the_banner(client):
    response = client.post(reverse("consent:accept_all"), {"next": "/articles/"})

    assert response["Location"] == "/articles/"
    assert "analytics=" in response.cookies["cookie_consent"].value
    assert tallies() == [("analytics", "accept", 1), ("translation", "accept", 1)]
    assert not ConsentRecord.objects.exists()  # an anonymous click adds no row of its own
    page = client.get("/")
    assert "Cookies on the Hub" not in page.content.decode()
    assert f'<script src="{ANALYTICS}" defer></script>' in page.content.decode()
    assert "https://stats.example.org" in page["Content-Security-Policy"]


def test_reject_all_is_as_easy_and_removes_optional_cookies(client):
    client.cookies["_pk_id"] = "tracking"

    response = client.post(reverse("consent:reject_all"), {"next": "/"})

    assert response.cookies["_pk_id"]["max-age"] == 0
    assert tallies() == [("analytics", "decline", 1), ("translation", "decline", 1)]
    page = client.get("/")
    assert ANALYTICS not in page.content.decode()
    assert "Cookies on the Hub" not in page.content.decode()


def test_declined_cookies_are_cleaned_on_later_requests(client):
    client.post(reverse("consent:reject_all"), {"next": "/"})
    client.cookies["googtrans"] = "/en/fr"

    response = client.get("/")

    assert response.cookies["googtrans"]["max-age"] == 0


def test_a_logged_in_decision_names_the_user(client, reader):
    client.force_login(reader)

    client.post(reverse("consent:accept_all"), {"next": "/"})

    records = ConsentRecord.objects.order_by("group")
    assert [(r.group, r.action, r.user) for r in records] == [
        ("analytics", "accept", reader),
        ("translation", "accept", reader),
    ]
    assert all(r.version for r in records)
    assert not ConsentTally.objects.exists()


def test_clicking_again_and_again_does_not_grow_the_database(client, reader):
    for _ in range(20):
        client.post(reverse("consent:accept_all"), {"next": "/"})
        client.post(reverse("consent:reject_all"), {"next": "/"})
    client.force_login(reader)
    for _ in range(20):
        client.post(reverse("consent:accept_all"), {"next": "/"})
    client.post(reverse("consent:reject_all"), {"next": "/"})

    assert tallies() == [
        ("analytics", "accept", 20),
        ("analytics", "decline", 20),
        ("translation", "accept", 20),
        ("translation", "decline", 20),
    ]
    assert sorted(ConsentRecord.objects.values_list("group", "action")) == [
        ("analytics", "decline"),
        ("translation", "decline"),
    ]


def test_manage_page_lists_every_cookie_from_the_database_and_saves_choices(client):
    group = CookieGroup.objects.get(varname="analytics")
    Cookie.objects.create(cookiegroup=group, name="_editor_added", description="Added in admin.")

    html = client.get(reverse("cookie_settings")).content.decode()
    response = choose(client, analytics="decline", translation="accept")

    for name in ("sessionid", "csrftoken", "hub_hcp", "cookie_consent", "_pk_id", "googtrans"):
        assert f"<code>{name}</code>" in html
    assert "<code>_editor_added</code>" in html and "Added in admin." in html
    assert "Always on" in html
    assert response.status_code == 302
    assert response["Location"] == reverse("cookie_settings")
    assert tallies() == [("analytics", "decline", 1), ("translation", "accept", 1)]
    page = client.get(reverse("cookie_settings")).content.decode()
    assert 'id="analytics-decline" name="analytics" value="decline" checked' in page
    assert "Your cookie choices were saved." in page


def test_changing_ones_mind_from_the_footer(client):
    client.post(reverse("consent:accept_all"), {"next": "/"})

    home = client.get("/").content.decode()
    choose(client, analytics="decline", translation="decline")

    assert f'<a href="{reverse("cookie_settings")}">Cookie settings</a>' in home
    assert ANALYTICS not in client.get("/").content.decode()
    assert ConsentTally.objects.filter(action="decline").count() == 2


def test_no_open_redirect_after_a_choice(client):
    response = client.post(reverse("consent:accept_all"), {"next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_the_banners_buttons_refuse_other_sites(db):
    """The banner is on shared pages, so its forms carry no CSRF token: where the request
    comes from is checked instead; the settings page's form keeps its token."""
    from django.test import Client as BareClient

    elsewhere = BareClient(enforce_csrf_checks=True, headers={"Sec-Fetch-Site": "cross-site"})
    here = BareClient(enforce_csrf_checks=True, headers={"Sec-Fetch-Site": "same-origin"})

    for name in ("consent:accept_all", "consent:reject_all"):
        assert elsewhere.post(reverse(name)).status_code == 403
        assert here.post(reverse(name)).status_code == 302
    assert here.post(reverse("consent:choose")).status_code == 403


def test_staff_see_the_consent_records_and_daily_counts(client, make_editor, reader):
    client.post(reverse("consent:accept_all"), {"next": "/"})
    client.force_login(reader)
    client.post(reverse("consent:accept_all"), {"next": "/"})
    client.force_login(make_editor(is_superuser=True))

    html = client.get(reverse("admin:consent_consentrecord_changelist")).content.decode()
    counts = client.get(reverse("admin:consent_consenttally_changelist")).content.decode()

    assert "analytics" in html and "Accepted" in html and reader.email in html
    assert "analytics" in counts and "Accepted" in counts
    assert client.get(reverse("admin:consent_consentrecord_add")).status_code == 403
    assert client.get(reverse("admin:consent_consenttally_add")).status_code == 403


def test_translation_widget_only_after_consent_with_its_disclaimer(client):
    from tests.articles.factories import make_article

    article = make_article()
    before = client.get(article.get_absolute_url())
    choose(client, translation="accept", analytics="decline")
    after = client.get(article.get_absolute_url())

    assert 'id="translate-widget"' not in before.content.decode()
    assert "allow machine translation" in before.content.decode()
    assert "translate.google.com" not in before["Content-Security-Policy"]
    html = after.content.decode()
    assert (
        'data-src="https://translate.google.com/translate_a/element.js?cb=hubTranslateInit"' in html
    )
    assert "may be inexact, and the Hub accepts no liability for them" in html
    assert "https://translate.google.com" in after["Content-Security-Policy"]
    assert "stats.example.org" not in after["Content-Security-Policy"]
    # The widget injects inline styles: allowed for this reader, and only for them.
    assert "'unsafe-inline'" in style_src(after)
    assert "'unsafe-inline'" not in before["Content-Security-Policy"]


def style_src(response):
    directives = dict(
        d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";") if d.strip()
    )
    return directives["style-src"]


def test_accepting_analytics_alone_keeps_inline_styles_out(client):
    client.post(reverse("consent:choose"), {"analytics": "accept", "translation": "decline"})

    response = client.get("/")

    assert "https://stats.example.org" in response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_editors_manage_cookie_groups_and_cookies_in_the_admin(client, make_editor):
    client.force_login(make_editor(is_superuser=True))
    group = CookieGroup.objects.get(varname="analytics")

    assert client.get(reverse("admin:cookie_consent_cookiegroup_changelist")).status_code == 200
    page = client.get(reverse("admin:cookie_consent_cookiegroup_change", args=[group.pk]))
    assert page.status_code == 200


def test_consent_records_cannot_be_deleted_by_staff(client, make_editor):
    editor = make_editor(is_superuser=True)
    client.force_login(editor)
    client.post(reverse("consent:accept_all"), {"next": "/"})
    record = ConsentRecord.objects.first()

    response = client.get(reverse("admin:consent_consentrecord_delete", args=[record.pk]))

    assert response.status_code == 403


def test_the_pages_script_gets_json_and_no_redirect(client):
    response = client.post(
        reverse("consent:accept_all"), {"next": "/articles/"}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert response.json() == {
        "message": "Your cookie choices were saved.",
        "accepted": ["analytics", "translation"],
        "start_on_reload": True,
    }
    assert "analytics=" in response.cookies["cookie_consent"].value
    assert tallies() == [("analytics", "accept", 1), ("translation", "accept", 1)]


def test_rejecting_by_script_starts_nothing(client):
    response = client.post(reverse("consent:reject_all"), HTTP_ACCEPT="application/json")

    assert response.json()["accepted"] == [] and response.json()["start_on_reload"] is False
    assert "analytics=-1" in response.cookies["cookie_consent"].value


def test_without_javascript_a_choice_comes_back_to_the_same_address(client):
    back = "/search/?q=myeloma&page=2"

    response = client.post(reverse("consent:reject_all"), {"next": back})

    assert response.status_code == 302 and response["Location"] == back


def test_the_settings_form_answers_its_script_in_json_too(client):
    response = client.post(
        reverse("consent:choose"),
        {"analytics": "decline", "translation": "accept", "next": "/cookies/"},
        HTTP_ACCEPT="application/json",
    )

    assert response.json()["accepted"] == ["translation"]
    assert tallies() == [("analytics", "decline", 1), ("translation", "accept", 1)]
    assert "messages" not in response.cookies, "the page says it itself"
