"""Areas of interest, and what the Hub recommends because of them."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Bookmark
from accounts.recommendations import recommend
from tests.articles.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    myeloma = make_topic("Multiple myeloma")
    return {
        "myeloma": myeloma,
        "car_t": make_topic("CAR T-cell therapy", parent=myeloma),
        "lymphoma": make_topic("Lymphoma"),
        "supportive": make_topic("Supportive care"),
    }


def test_reader_chooses_interests_with_checkboxes(client, reader, topics):
    client.force_login(reader)

    page = client.get(reverse("accounts:interests")).content.decode()
    response = client.post(
        reverse("accounts:interests"),
        {"interests": [topics["car_t"].pk, topics["lymphoma"].pk]},
    )

    assert f'type="checkbox" name="interests" value="{topics["car_t"].pk}"' in page
    assert f'<label for="interest-{topics["car_t"].pk}">CAR T-cell therapy</label>' in page
    assert response.status_code == 302
    assert set(reader.interests.all()) == {topics["car_t"], topics["lymphoma"]}
    again = client.get(reverse("accounts:interests")).content.decode()
    assert f'value="{topics["car_t"].pk}" id="interest-{topics["car_t"].pk}" checked' in again


@pytest.mark.parametrize(
    ("values", "error"),
    [
        (["999999"], "Select a valid choice. 999999 is not one of the available choices."),
        # Beyond 64 bits: SQLite cannot even compare it (OverflowError).
        (["99999999999999999999"], "“99999999999999999999” is not a valid value."),
        (["abc"], "“abc” is not a valid value."),
        # str.isdigit() says yes to these, int() says no: they once gave a 500.
        (["²"], "“²” is not a valid value."),
        (["①"], "“①” is not a valid value."),
    ],
)
def test_tampered_topic_ids_are_a_form_error_and_change_nothing(
    client, reader, topics, values, error
):
    reader.interests.add(topics["lymphoma"])
    client.force_login(reader)

    response = client.post(reverse("accounts:interests"), {"interests": values})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert list(reader.interests.all()) == [topics["lymphoma"]]


def test_a_rejected_choice_is_shown_again_as_ticked_less_the_bad_values(client, reader, topics):
    reader.interests.add(topics["lymphoma"])
    client.force_login(reader)
    car_t = topics["car_t"].pk

    response = client.post(reverse("accounts:interests"), {"interests": [car_t, "²", "999999"]})

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{car_t}" id="interest-{car_t}" checked' in html
    assert " checked" not in html.replace(f'id="interest-{car_t}" checked', "")
    assert list(reader.interests.all()) == [topics["lymphoma"]]


def test_recommendations_come_from_interests_with_a_reason(reader, topics):
    reader.interests.add(topics["car_t"])
    wanted = make_article("Bridging therapy", topics=[topics["car_t"]])
    make_article("Lymphoma news", topics=[topics["lymphoma"]])

    recommendations = recommend(reader)

    assert [r.article for r in recommendations] == [wanted]
    assert recommendations[0].reason == "Because you follow CAR T-cell therapy"


def test_recommendations_follow_bookmarked_topics_and_skip_the_bookmarks(reader, topics):
    saved = make_article("Saved one", topics=[topics["supportive"]])
    Bookmark.objects.create(user=reader, article=saved)
    related = make_article("IVIG replacement", topics=[topics["supportive"]])

    recommendations = recommend(reader)

    assert [r.article for r in recommendations] == [related]
    assert recommendations[0].reason == "Because you bookmarked articles on Supportive care"


def test_best_matching_then_newest_first(reader, topics):
    reader.interests.add(topics["car_t"], topics["supportive"])
    one_match_new = make_article("One match, new", topics=[topics["car_t"]])
    two_matches_old = make_article(
        "Two matches, old",
        topics=[topics["car_t"], topics["supportive"]],
        age=timedelta(days=30),
    )
    one_match_old = make_article(
        "One match, old", topics=[topics["supportive"]], age=timedelta(days=40)
    )
    make_article("Draft", topics=[topics["car_t"]], published=False)

    assert [r.article for r in recommend(reader)] == [two_matches_old, one_match_new, one_match_old]


def test_fallback_without_interests_is_featured_then_newest(reader):
    featured = make_article("Editors' pick", featured=True, age=timedelta(days=10))
    newest = make_article("Brand new")

    recommendations = recommend(reader)

    assert [r.article for r in recommendations] == [featured, newest]
    assert [r.reason for r in recommendations] == ["Featured by our editors", "Recently published"]


def test_home_and_recommended_page_show_reasons(client, reader, topics):
    reader.interests.add(topics["lymphoma"])
    make_article("Second-line CAR T in LBCL", topics=[topics["lymphoma"]], age=timedelta(days=30))
    for n in range(9):  # the home page's Featured and Latest, which recommendations skip
        make_article(f"Newer {n}")
    client.force_login(reader)

    home = client.get("/").content.decode()
    page = client.get(reverse("accounts:recommended")).content.decode()

    for html in (home, page):
        assert "Recommended for you" in html
        assert "Second-line CAR T in LBCL" in html
        assert "Because you follow Lymphoma" in html


def test_home_with_recommendations_has_a_fixed_query_budget(
    client, reader, topics, django_assert_max_num_queries
):
    for n in range(40):
        topic = list(topics.values())[n % 4]
        article = make_article(topics=[topic])
        if n % 3 == 0:
            Bookmark.objects.create(user=reader, article=article)
    reader.interests.add(*topics.values())
    client.force_login(reader)
    client.get("/")

    with django_assert_max_num_queries(16):
        response = client.get("/")

    assert response.content.decode().count('class="recommendation-reason"') == 3


def test_visitor_panel_is_offered_and_can_be_dismissed_without_javascript(client):
    panel = "Now you can personalise your Hub experience!"
    html = client.get("/").content.decode()

    assert panel in html
    assert "Bookmark content to read later" in html
    response = client.post(reverse("dismiss_panel"), {"next": "/"})
    assert response["Location"] == "/"
    assert panel not in client.get("/").content.decode()


def test_logged_in_readers_do_not_get_the_visitor_panel(client, reader):
    client.force_login(reader)

    assert "Now you can personalise" not in client.get("/").content.decode()


def test_panel_links_to_what_an_account_offers(client):
    home = client.get("/").content.decode()
    signup = client.get(reverse("account_signup")).content.decode()

    assert 'href="/accounts/signup/#why-sign-up">Find out more</a>' in home
    assert 'id="why-sign-up"' in signup
    assert "Bookmark content to read later, on any device." in signup


def test_following_a_topic_includes_its_subtopics(reader, topics):
    reader.interests.add(topics["myeloma"])
    nested = make_article("CAR T in myeloma", topics=[topics["car_t"]])
    make_article("Lymphoma news", topics=[topics["lymphoma"]])

    recommendations = recommend(reader)

    assert [r.article for r in recommendations] == [nested]
    assert recommendations[0].reason == "Because you follow Multiple myeloma"
