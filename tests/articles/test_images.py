"""Lead images and expert photos: renditions made on upload, described or decorative,
served responsively, and patterns or initials where there is no image."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image

from articles import images
from articles.models import Article, Expert
from tests.articles.factories import (
    image_upload,
    make_article,
    make_expert,
    make_topic,
)
from tests.articles.test_admin import article_form

pytestmark = pytest.mark.django_db


def pictured_article(title="With a picture", **fields):
    fields.setdefault("lead_image_alt", "Plasma cells under the microscope")
    return make_article(title, lead_image=image_upload(), **fields)


def pictured_expert(name="Dr Ada Lee", **fields):
    fields.setdefault("photo_alt", f"Portrait of {name}")
    return make_expert(name, photo=image_upload("ada.png", (500, 600)), **fields)


def stored_size(name):
    with default_storage.open(name) as handle, Image.open(handle) as image:
        return image.format, image.size


# Renditions ---------------------------------------------------------------------------


def test_saving_a_lead_image_stores_every_rendition_in_webp_and_jpeg():
    article = pictured_article()

    for width in images.LEAD.widths:
        height = images.LEAD.height(width)
        webp = images.rendition_name(article.lead_image.name, images.LEAD, width, "WEBP")
        jpeg = images.rendition_name(article.lead_image.name, images.LEAD, width, "JPEG")
        assert stored_size(webp) == ("WEBP", (width, height))
        assert stored_size(jpeg) == ("JPEG", (width, height))


def test_a_png_photo_falls_back_to_png_and_is_cropped_square():
    expert = pictured_expert()

    name = expert.photo.name
    assert stored_size(images.rendition_name(name, images.PORTRAIT, 192, "PNG")) == (
        "PNG",
        (192, 192),
    )
    assert stored_size(images.rendition_name(name, images.PORTRAIT, 64, "WEBP")) == (
        "WEBP",
        (64, 64),
    )


def test_an_upload_through_the_admin_makes_the_renditions(client, make_editor):
    client.force_login(make_editor(is_superuser=True))
    data = article_form(
        lead_image=image_upload("cells.jpg"), lead_image_alt="Cells in a blood film"
    )

    response = client.post(reverse("admin:articles_article_add"), data)

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.lead_image.name.startswith("articles/cells")
    largest = images.rendition_name(article.lead_image.name, images.LEAD, 1280, "WEBP")
    assert default_storage.exists(largest)


def test_saving_again_without_a_new_image_makes_nothing_again():
    article = pictured_article()

    with mock.patch.object(images.Rendition, "generate") as generate:
        article.title = "Retitled"
        article.save()

    generate.assert_not_called()


# Descriptions -------------------------------------------------------------------------


def test_an_image_without_description_or_decorative_tick_is_an_admin_form_error(
    client, make_editor
):
    client.force_login(make_editor(is_superuser=True))

    response = client.post(
        reverse("admin:articles_article_add"), article_form(lead_image=image_upload())
    )

    assert response.status_code == 200
    assert "Describe the image for readers who cannot see it" in response.content.decode()
    assert not Article.objects.exists()


def test_a_decorative_image_needs_no_description_but_may_not_have_one():
    article = make_article(lead_image=image_upload(), lead_image_decorative=True)
    article.full_clean()  # decorative, undescribed: fine

    article.lead_image_alt = "Something"
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "lead_image_alt" in error.value.message_dict


def test_expert_photo_follows_the_same_rule():
    expert = Expert(name="Dr No Alt", slug="dr-no-alt", photo="experts/x.jpg")

    with pytest.raises(ValidationError) as error:
        expert.full_clean()

    assert "photo_alt" in error.value.message_dict


def test_the_database_refuses_an_undescribed_image():
    article = make_article()

    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(lead_image="articles/x.jpg")


# Pages ----------------------------------------------------------------------------------


def test_article_page_serves_the_lead_image_responsively_and_first(client):
    article = pictured_article()

    html = client.get(article.get_absolute_url()).content.decode()

    lead = html.split('class="lead-image"')[1].split("</picture>")[0]
    assert '<source type="image/webp" srcset="' in lead
    assert "-1280w-v1.webp 1280w" in lead and "-320w-v1.jpg 320w" in lead
    assert 'width="640" height="360"' in lead
    assert 'loading="eager" fetchpriority="high"' in lead
    assert 'loading="lazy"' not in lead
    assert 'alt="Plasma cells under the microscope"' in lead
    assert '<meta property="og:image" content="http://testserver/media/renditions/' in html
    assert '<meta property="og:image:alt" content="Plasma cells under the microscope">' in html


def test_decorative_lead_image_has_empty_alt(client):
    article = make_article(lead_image=image_upload(), lead_image_decorative=True)

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'alt="" loading="eager"' in html.split('class="lead-image"')[1]
    assert "og:image:alt" not in html


def test_cards_load_their_images_lazily_with_sizes(client):
    pictured_article("Card with a picture")

    html = client.get("/articles/").content.decode()

    card = html.split('class="card"')[1].split("</article>")[0]
    assert 'sizes="(min-width: 75rem) 22rem' in card
    assert 'loading="lazy" decoding="async"' in card
    assert 'width="640" height="360"' in card
    assert "Card with a picture" in card


def test_card_without_image_shows_its_topics_pattern(client):
    topic = make_topic("Lymphoma", colour="teal")
    make_article("No picture", topics=[topic])

    html = client.get("/articles/").content.decode()

    card = html.split('class="card"')[1].split("</article>")[0]
    assert '<div class="art art--teal art--variant-' in card
    assert "<img" not in card


def test_experts_without_photos_show_initials_and_with_photos_their_picture(client):
    with_photo = pictured_expert("Dr Ada Lee")
    without = make_expert("Prof. Ben Okoro")
    article = make_article("Two experts", experts=[with_photo, without])

    html = client.get(article.get_absolute_url()).content.decode()
    expert_page = client.get(with_photo.get_absolute_url()).content.decode()

    assert 'aria-hidden="true">BO</span>' in html
    assert 'class="avatar avatar--medium"' in html
    assert 'alt="Portrait of Dr Ada Lee"' in expert_page
    assert 'class="avatar avatar--large"' in expert_page
    assert 'aria-hidden="true">BO</span>' in client.get(without.get_absolute_url()).content.decode()


def test_card_lists_cost_no_query_or_storage_call_per_picture(
    client, django_assert_max_num_queries
):
    topics = [make_topic() for _ in range(3)]
    photo = pictured_expert("Dr Photo").photo.name
    experts = [make_expert(photo=photo, photo_decorative=True) for _ in range(2)]
    lead_image = pictured_article().lead_image.name  # one upload, shown on every card
    for n in range(12):
        make_article(
            f"Pictured {n}",
            featured=n < 3,
            topics=topics,
            experts=experts,
            lead_image=lead_image,
            lead_image_decorative=True,
        )
    client.get("/")  # warm the caches (cookie groups, funders), as in production

    storage_calls = ("exists", "open", "size", "listdir")
    patches = [
        mock.patch.object(default_storage, name, side_effect=AssertionError(name))
        for name in storage_calls
    ]
    for patch in patches:
        patch.start()
    try:
        with django_assert_max_num_queries(6):
            home = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
        with django_assert_max_num_queries(8):
            listing = client.get("/articles/")
    finally:
        for patch in patches:
            patch.stop()

    assert home.content.decode().count("<picture") >= 9 * 3  # each card: image, 2 avatars
    assert listing.content.decode().count('class="card"') == 12  # a page of the 13


# Video posters --------------------------------------------------------------------------


def test_hosted_video_shows_a_poster_with_play_button_duration_and_transcript_link(client):
    article = pictured_article(
        "A video interview",
        question="Why?",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_duration=timedelta(minutes=12, seconds=34),
        transcript="**Interviewer:** Why?",
    )

    html = client.get(article.get_absolute_url()).content.decode()

    video = html.split('<figure class="video">')[1].split("</figure>")[0]
    assert '<div class="video__poster"><picture' in video.replace("\n", "").replace("  ", "")
    assert 'Play the video<span class="visually-hidden"> from YouTube</span>' in video
    assert 'class="lead-image"' not in html  # the poster shows it: not twice
    assert '<time datetime="PT12M34S">12:34</time>' in video
    assert '<a href="#transcript" class="js-open-transcript">Read the transcript</a>' in video
    assert 'id="transcript"' in html
    # Nothing from the host before the reader presses play: only a link to it.
    assert "<iframe" not in html
    player = 'data-embed-src="https://www.youtube-nocookie'
    assert "youtube-nocookie" not in html.replace(player, "")


def test_video_without_lead_image_gets_a_pattern_poster(client):
    article = make_article(
        "Patterned video",
        question="Why?",
        video_url="https://vimeo.com/123456789",
        topics=[make_topic(colour="rose")],
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'class="art art--rose' in html.split('class="video__poster"')[1]


def test_a_video_file_uses_the_lead_image_as_its_poster(client):
    article = pictured_article(
        "Filed video", question="Why?", video_url="https://cdn.example.org/talk.mp4"
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert 'poster="/media/renditions/' in html
    assert 'width="1280" height="720"' in html


@pytest.mark.parametrize(
    ("seconds", "clock", "iso"),
    [(0, "0:00", "PT0S"), (754, "12:34", "PT12M34S"), (3723, "1:02:03", "PT1H2M3S")],
)
def test_durations_read_as_players_show_them(seconds, clock, iso):
    from articles.templatetags.articles_tags import clock as to_clock
    from articles.templatetags.articles_tags import iso_duration

    assert to_clock(timedelta(seconds=seconds)) == clock
    assert iso_duration(timedelta(seconds=seconds)) == iso


def test_initials_skip_titles():
    assert Expert(name="Dr Amelia Hart").initials == "AH"
    assert Expert(name="Prof. Jean-Luc Martin").initials == "JM"
    assert Expert(name="Cher").initials == "C"
