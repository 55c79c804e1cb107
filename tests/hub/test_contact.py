"""The contact form: stored, emailed to staff, rate limited, bots quietly turned away."""

import pytest
from django.core import mail
from django.urls import reverse

from hub.models import ContactMessage

pytestmark = pytest.mark.django_db

MESSAGE = {
    "name": "Dr Ada",
    "email": "ada@example.org",
    "subject": "A correction",
    "message": "Reference 3 has the wrong year.",
    "website": "",
}


def test_message_is_stored_emailed_to_staff_and_thanked(visitor, settings):
    settings.HUB_CONTACT_EMAILS = ["editors@example.org"]

    response = visitor.post(reverse("contact"), MESSAGE)

    assert response["Location"] == reverse("contact_thanks")
    stored = ContactMessage.objects.get()
    assert (stored.name, stored.subject) == ("Dr Ada", "A correction")
    (email,) = mail.outbox
    assert email.to == ["editors@example.org"]
    assert email.reply_to == ["ada@example.org"]
    assert "Reference 3 has the wrong year." in email.body
    thanks = visitor.get(response["Location"]).content.decode()
    assert "Thank you for your message" in thanks


def test_without_configured_addresses_superusers_get_the_message(visitor, make_user):
    make_user("chief@example.org", is_staff=True, is_superuser=True)

    visitor.post(reverse("contact"), MESSAGE)

    assert mail.outbox[0].to == ["chief@example.org"]


def test_invalid_input_rerenders_with_errors_and_keeps_the_text(visitor):
    response = visitor.post(reverse("contact"), {**MESSAGE, "email": "nope", "subject": ""})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html and "This field is required." in html
    assert "Reference 3 has the wrong year." in html
    assert not ContactMessage.objects.exists()


def test_honeypot_catches_bots_without_telling_them(visitor):
    response = visitor.post(reverse("contact"), {**MESSAGE, "website": "http://spam.example"})

    assert response["Location"] == reverse("contact_thanks")
    assert not ContactMessage.objects.exists() and not mail.outbox


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(visitor):
    html = visitor.get(reverse("contact")).content.decode()

    assert '<div class="hp-field" aria-hidden="true">' in html
    assert 'tabindex="-1" autocomplete="off"' in html


def test_sixth_message_in_an_hour_is_refused(visitor):
    for _ in range(5):
        assert visitor.post(reverse("contact"), MESSAGE).status_code == 302

    response = visitor.post(reverse("contact"), MESSAGE)

    assert response.status_code == 200
    assert "You have sent several messages already." in response.content.decode()
    assert ContactMessage.objects.count() == 5


def test_the_limit_is_per_address(visitor):
    for _ in range(5):
        visitor.post(reverse("contact"), MESSAGE, REMOTE_ADDR="10.0.0.1")

    response = visitor.post(reverse("contact"), MESSAGE, REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 302


def test_contact_needs_csrf(db):
    from tests.conftest import Client

    assert Client(enforce_csrf_checks=True).post(reverse("contact"), MESSAGE).status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("subject", "Hi\r\nBcc: victim@example.org", "Please keep this on one line."),
        ("name", "Ada\nLovelace", "Please keep this on one line."),
        ("message", "x" * 5001, "Ensure this value has at most 5000 characters"),
        ("subject", "x" * 201, "Ensure this value has at most 200 characters"),
    ],
)
def test_odd_input_is_refused_with_a_message_never_a_500(visitor, settings, field, value, error):
    settings.HUB_CONTACT_EMAILS = ["editors@example.org"]

    response = visitor.post(reverse("contact"), {**MESSAGE, field: value})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ContactMessage.objects.exists() and not mail.outbox


def via_proxies(client_addr, proxies, *, spoofed=()):
    """Request headers as the app sees them behind `proxies` proxies that each append."""
    outer = [f"10.0.0.{n}" for n in range(1, proxies)]
    return {
        "HTTP_X_FORWARDED_FOR": ", ".join([*spoofed, client_addr, *outer]),
        "REMOTE_ADDR": f"10.0.0.{proxies}",
    }


def send(visitor, **headers):
    return visitor.post(reverse("contact"), MESSAGE, **headers)


def refused(response):
    return response.status_code == 200 and (
        "You have sent several messages already." in response.content.decode()
    )


@pytest.mark.parametrize("proxies", [1, 2])
def test_behind_proxies_each_client_has_its_own_limit(visitor, settings, proxies):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    for _ in range(5):
        assert send(visitor, **via_proxies("203.0.113.5", proxies)).status_code == 302

    assert refused(send(visitor, **via_proxies("203.0.113.5", proxies)))
    assert send(visitor, **via_proxies("198.51.100.9", proxies)).status_code == 302


@pytest.mark.parametrize("proxies", [1, 2])
def test_a_spoofed_forwarded_address_does_not_escape_the_limit(visitor, settings, proxies):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    for n in range(5):
        send(visitor, **via_proxies("203.0.113.5", proxies, spoofed=[f"192.0.2.{n}"]))

    response = send(visitor, **via_proxies("203.0.113.5", proxies, spoofed=["192.0.2.99"]))

    assert refused(response)
    assert ContactMessage.objects.count() == 5


def test_a_too_short_forwarded_header_does_not_put_everyone_in_one_bucket(visitor, settings):
    # Two proxies are configured, but these requests passed only the inner one.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    short = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        assert send(visitor, HTTP_X_FORWARDED_FOR="203.0.113.5", **short).status_code == 302

    assert refused(send(visitor, HTTP_X_FORWARDED_FOR="203.0.113.5", **short))
    assert send(visitor, HTTP_X_FORWARDED_FOR="198.51.100.9", **short).status_code == 302


def test_a_trusted_client_ip_header_is_honoured(visitor, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    for _ in range(5):
        send(visitor, HTTP_X_REAL_IP="203.0.113.5", REMOTE_ADDR="10.0.0.1")

    assert refused(send(visitor, HTTP_X_REAL_IP="203.0.113.5", REMOTE_ADDR="10.0.0.1"))
    assert send(visitor, HTTP_X_REAL_IP="198.51.100.9", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_one_ipv6_network_shares_a_limit(visitor):
    for n in range(1, 6):
        send(visitor, REMOTE_ADDR=f"2001:db8:1:2::{n}")

    assert refused(send(visitor, REMOTE_ADDR="2001:db8:1:2:ffff::1"))
    assert send(visitor, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302
