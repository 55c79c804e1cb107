"""Shared pages: the same bytes for every reader with the same variant, said in HTTP,
kept by this server's cache and purged by what they show."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Bookmark
from articles.models import Article, Reference
from pagecache import local, purge
from pagecache.middleware import CACHE_HEADER
from tests.articles.factories import make_article, make_type
from tests.conftest import Client, declare_hcp
from tests.pagecache.through_wsgi import Browser

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken"')


@pytest.fixture
def article():
    return make_article("Kept for readers", body="The body of the kept article.")


def test_a_shared_page_says_who_may_keep_it_and_sets_nothing_of_its_own(client, article):
    response = client.get(article.get_absolute_url())

    assert response["Cache-Control"] == "public, max-age=0, s-maxage=300"
    assert {v.strip() for v in response["Vary"].split(",")} == {"Accept-Language", "Cookie"}
    assert response["X-Hub-Variant"] == "l=en;c=;d=1;p=0"
    hub = f"hub-{article.hub_id}"  # every page names its hub (hubs.middleware)
    assert response["Surrogate-Key"].split() == [f"article-{article.pk}", "articles", hub, "site"]
    assert not response.cookies
    assert not TOKEN.search(response.content.decode())


def test_every_reader_with_the_same_variant_gets_the_same_bytes(article):
    first = declare_hcp(Client()).get(article.get_absolute_url())
    second = declare_hcp(Client()).get(article.get_absolute_url())

    assert first.content == second.content


def test_a_second_reader_is_answered_from_this_servers_copy_with_no_query(
    article, django_assert_max_num_queries
):
    first = Browser().get(article.get_absolute_url())

    with django_assert_max_num_queries(1):  # the content version (SQLite); none on PostgreSQL
        second = Browser().get(article.get_absolute_url())

    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("miss", "hit")
    assert first.body == second.body
    assert "The body of the kept article." in second.text()
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
                 "Referrer-Policy", "Vary", "Cache-Control"):  # fmt: skip
        assert second[name] == first[name], name
    assert "X-Hub-Variant" not in second and "Surrogate-Key" not in second
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_head_is_answered_from_the_copy(article):
    Browser().get(article.get_absolute_url())

    head = Browser().head(article.get_absolute_url())

    assert head.status_code == 200 and head[CACHE_HEADER] == "hit" and head.body == b""


def test_another_variant_gets_its_own_page(article):
    Browser().get(article.get_absolute_url())

    spanish = Browser(django_language="es").get(article.get_absolute_url())
    undeclared = Browser(declared=False).get(article.get_absolute_url())

    assert spanish[CACHE_HEADER] == "miss" and 'lang="es"' in spanish.text()
    assert undeclared[CACHE_HEADER] == "miss"
    assert "The body of the kept article." not in undeclared.text()
    assert "For healthcare professionals only" in undeclared.text()


def test_a_consent_cookie_django_would_not_write_is_never_kept(article):
    made_up = Browser(cookie_consent='"analytics=whatever"')
    made_up.get(article.get_absolute_url())

    again = Browser(cookie_consent='"analytics=whatever"').get(article.get_absolute_url())

    assert again.status_code == 200 and again[CACHE_HEADER] != "hit"
    assert "public" not in again["Cache-Control"]


def test_a_change_purges_only_the_pages_that_show_it(article, django_capture_on_commit_callbacks):
    other = make_article("Another kept article")
    purge.forget_pending()  # the test's own transaction never commits what made them
    for page in (article, other):
        Browser().get(page.get_absolute_url())
    Browser().get("/articles/")

    with django_capture_on_commit_callbacks(execute=True):  # the change commits
        Reference.objects.create(article=article, order=1, title="A new reference, cited")

    assert Browser().get(article.get_absolute_url())[CACHE_HEADER] == "miss"
    assert Browser().get(other.get_absolute_url())[CACHE_HEADER] == "hit"
    assert Browser().get("/articles/")[CACHE_HEADER] == "hit"
    assert "A new reference, cited" in Browser().get(article.get_absolute_url()).text()


def test_unpublishing_takes_the_article_off_every_kept_page_at_once(
    article, django_capture_on_commit_callbacks
):
    for path in (article.get_absolute_url(), "/", "/articles/"):
        Browser().get(path)

    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.DRAFT
        article.save()

    assert Browser().get(article.get_absolute_url()).status_code == 404
    assert "Kept for readers" not in Browser().get("/").text()
    assert "Kept for readers" not in Browser().get("/articles/").text()


def test_a_page_rendered_before_a_change_committed_is_not_kept(
    article, django_capture_on_commit_callbacks
):
    """A change heard while a page was being made means the page may be stale."""
    from pagecache.invalidation import watch

    version = local.watch().current()
    purge.forget_pending()
    with django_capture_on_commit_callbacks(execute=True):
        Reference.objects.create(article=article, order=1, title="Committed meanwhile")

    assert not watch(local.STORE).may_keep(version, {f"article-{article.pk}", "site"})


def test_unknown_query_parameters_are_redirected_away_and_never_kept(article):
    page = Browser().get("/articles/?utm_source=mail&type=interview&type=video")
    empty = Browser().get("/articles/?&&")

    assert page.status_code == 301
    assert page["Location"] == "/articles/?type=interview"
    assert "no-store" in page["Cache-Control"]
    assert (empty.status_code, empty["Location"]) == (301, "/articles/")
    make_article("Typed", article_type=make_type("Interview"))
    assert Browser().get("/articles/?type=interview&page=1").status_code == 200


def test_a_script_prefix_from_a_request_header_never_reaches_other_readers(article):
    url = article.get_absolute_url()
    poisoned = Browser().get(url, headers={"SCRIPT_NAME": "/evil"})

    clean = Browser().get(url)

    assert "public" not in poisoned.get("Cache-Control", "")
    assert clean[CACHE_HEADER] == "miss"
    assert "/evil/" not in clean.text()


def test_a_flood_of_searches_and_made_up_addresses_pushes_out_only_its_own_kind(
    article, monkeypatch
):
    """Searches and the gate under made-up addresses are kept in a bounded shelf: a flood
    of them evicts its own kind, never the articles, and never reaches the rate limits
    (no page lives in the cache they count in)."""
    Browser().get(article.get_absolute_url())
    cache.set("rl:login:203.0.113.9", 4, 600)  # a rate-limit counter, as allauth keeps them
    budget = 1024 * 1024  # a smaller shelf than production's, to fill it quickly
    monkeypatch.setattr(local.STORE.shelf("bounded"), "budget", budget)

    for n in range(200):
        Browser().get(f"/search/?q=flood{n}")
        Browser(declared=False).get(f"/articles/made-up-{n}/")

    kept = local.STORE.count("bounded")
    assert 0 < kept < 400  # some were pushed out…
    assert local.STORE.shelf("bounded").used <= budget
    assert Browser().get(article.get_absolute_url())[CACHE_HEADER] == "hit"  # …not this
    assert cache.get("rl:login:203.0.113.9") == 4


def test_a_panel_cookie_only_django_reads_as_closed_is_never_kept():
    """hub_panel="1" (quoted) is closed for Django, not for a proxy's reading of it."""
    first = Browser(hub_panel='"1"').get("/")
    second = Browser(hub_panel='"1"').get("/")

    assert "public" not in first["Cache-Control"]
    assert second[CACHE_HEADER] != "hit"


@pytest.mark.parametrize(
    ("query", "where"),
    [("type=nonsense", "/articles/"), ("page=abc", "/articles/"), ("page=99", "/articles/"),
     ("type=nonsense&page=3", "/articles/")],
)  # fmt: skip
def test_unknown_values_of_a_declared_parameter_go_to_the_one_address(query, where):
    make_article("One")

    answer = Browser().get(f"/articles/?{query}")

    assert (answer.status_code, answer["Location"]) == (302, where)
    assert "no-store" in answer["Cache-Control"]


def test_a_draft_previewed_by_a_reader_with_the_permission_is_never_shared(make_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    draft = make_article("Embargoed results", published=False)
    previewer = make_user("previewer@example.com")
    previewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    TOTP.activate(previewer, generate_totp_secret())
    reader_client = Client()
    reader_client.force_login(make_user("reader2@example.com"))
    previewer_client = Client()
    previewer_client.force_login(previewer)

    preview = previewer_client.get(draft.get_absolute_url())
    other = reader_client.get(draft.get_absolute_url())

    assert preview.status_code == 200 and "Embargoed results" in preview.content.decode()
    assert "public" not in preview["Cache-Control"]
    assert other.status_code == 404
    assert sum(local.STORE.count(shelf) for shelf in ("pages", "bounded", "shells")) == 0


def test_logged_in_pages_carry_every_security_header_and_stay_private(reader, article, settings):
    settings.SECURE_HSTS_SECONDS = 3600  # as in production, over HTTPS
    member = Client()
    member.force_login(reader)

    first = member.get(article.get_absolute_url(), secure=True)
    second = member.get(article.get_absolute_url(), secure=True)

    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("member-miss", "member-hit")
    for response in (first, second):
        assert "private" in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
        for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
                     "Referrer-Policy", "Cross-Origin-Opener-Policy"):  # fmt: skip
            assert name in response, name
        assert response["Strict-Transport-Security"] == "max-age=3600"
        assert TOKEN.search(response.content.decode())


def test_a_reader_who_logs_in_never_gets_the_shared_copy(reader, article):
    Browser().get(article.get_absolute_url())
    member = Client()
    member.force_login(reader)

    page = member.get(article.get_absolute_url())

    assert page[CACHE_HEADER] == "member-miss"
    assert reverse("account_logout") in page.content.decode()


def test_a_shell_whose_related_article_was_just_deleted_still_renders(reader):
    """Between a delete committing and its purge being heard, a shell may be made
    naming an article that is gone: its hole is left empty, not a 500."""
    from articles.slots import Hole, guests
    from pagecache.members import load_objects, render_holes

    gone = make_article("Gone")
    member = Client()
    member.force_login(reader)
    request = member.get("/").wsgi_request
    slot = next(s for s in ("card_actions", "article_aside") if guests(s))
    hole = Hole(slot, 0, gone)
    gone.delete()

    assert render_holes(request, [hole], load_objects([hole])) == [""]


BOOKMARK_FORM = re.compile(
    r'action="/[^"]*?/(\d+)/"[^>]*data-bookmarked="(true|false)".*?'
    r'<span class="visually-hidden">: ([^<]+)</span>',
    re.S,
)


def bookmark_buttons(response):
    """Each bookmark button on a page: {article id: (the title it names, bookmarked)}."""
    html = response.content.decode()
    return {int(pk): (title, state == "true") for pk, state, title in BOOKMARK_FORM.findall(html)}


def test_bookmark_buttons_stay_under_their_articles_when_a_scheduled_one_goes_live(make_user):
    """A kept shell's holes name the article each is for. A scheduled article goes live
    with no save and no signal: the list is kept only until then, and each reader's
    buttons afterwards are their own, each under its own article."""
    older = make_article("Older article", age=timedelta(days=3))
    newer = make_article("Newer article", age=timedelta(days=2))
    due = make_article("Due in a moment", age=-timedelta(seconds=1.5))
    first, second = Client(), Client()
    first.force_login(make_user("first@example.com"))
    reader = make_user("second@example.com")
    Bookmark.objects.create(user=reader, article=older)
    second.force_login(reader)
    url = reverse("articles:list")

    made, shared = first.get(url), second.get(url)
    assert (made[CACHE_HEADER], shared[CACHE_HEADER]) == ("member-miss", "member-hit")
    assert bookmark_buttons(shared) == {
        older.pk: ("Older article", True), newer.pk: ("Newer article", False)
    }  # fmt: skip
    time.sleep(2)  # the scheduled article is due

    answer = second.get(url)

    assert answer[CACHE_HEADER] == "member-miss"  # the shell was kept only until then
    assert bookmark_buttons(answer) == {
        due.pk: ("Due in a moment", False),
        older.pk: ("Older article", True),
        newer.pk: ("Newer article", False),
    }
    assert bookmark_buttons(first.get(url))[older.pk] == ("Older article", False)
