"""The log on standard error: secrets in addresses never reach it, and every line says
when it was written (ISO 8601, UTC)."""

import io
import json
import logging
import re
from datetime import UTC, datetime

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse

from newsletter.emails import confirm_url, unsubscribe_url
from newsletter.models import Subscriber
from tests.articles.factories import make_topic
from tests.conftest import declare_hcp

pytestmark = pytest.mark.django_db

STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


@pytest.fixture
def stderr():
    """What the handlers settings.LOGGING configured write, as an operator reads it."""
    loggers = [logging.getLogger(), logging.getLogger("hub.requests")]
    loggers.append(logging.getLogger("django.request"))
    handlers = {h for lg in loggers for h in lg.handlers if type(h) is logging.StreamHandler}
    assert len(handlers) == 2, "the request lines' handler and the console"
    output = io.StringIO()
    previous = {handler: handler.setStream(output) for handler in handlers}
    yield output
    for handler, stream in previous.items():
        handler.setStream(stream)


def request_lines(output):
    lines = [json.loads(line) for line in output.getvalue().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == "request"]


def secret_addresses(reader):
    """Every kind of address with a secret in it, with the secret, as readers follow them."""
    email = EmailAddress.objects.get(user=reader)
    email.verified = False
    email.save()
    subscriber = Subscriber.objects.create(email="reader@example.com")
    topic = make_topic("Myeloma")
    confirm, unsubscribe = confirm_url(subscriber), unsubscribe_url(subscriber)
    reset_key = default_token_generator.make_token(reader)
    confirmation_key = EmailConfirmationHMAC(email).key
    uid = user_pk_to_url_str(reader)
    return [
        (reverse("account_reset_password_from_key", args=[uid, reset_key]), reset_key),
        (reverse("account_confirm_email", args=[confirmation_key]), confirmation_key),
        (reverse("feeds:rss", args=[reader.feed_key]), reader.feed_key),
        (reverse("feeds:topic_atom", args=[reader.feed_key, topic.slug]), reader.feed_key),
        (reverse("feeds:atom", args=["a-revoked-key-" + "9" * 30]), "9" * 30),
        (confirm, confirm.rstrip("/").rsplit("/", 1)[1]),
        (unsubscribe, unsubscribe.rstrip("/").rsplit("/", 1)[1]),
        (reverse("newsletter:unsubscribe", args=["forged.token.value"]), "forged.token.value"),
    ]


def test_secrets_in_addresses_are_redacted_from_every_line(client, reader, stderr):
    addresses = secret_addresses(reader)

    for address, _secret in addresses:
        client.get(address)

    text = stderr.getvalue()
    for address, secret in addresses:
        assert secret not in text, f"{address} leaked into the log"
    paths = [line["path"] for line in request_lines(stderr)]
    assert len(paths) >= len(addresses)
    assert "/accounts/password/reset/key/[redacted]/" in paths
    assert "/accounts/confirm-email/[redacted]/" in paths
    assert "/feeds/[redacted]/rss/" in paths
    assert any(re.fullmatch(r"/feeds/\[redacted\]/topics/myeloma-\d+/atom/", p) for p in paths)
    assert "/newsletter/confirm/[redacted]/" in paths
    assert "/newsletter/unsubscribe/[redacted]/" in paths
    assert "Not Found: /feeds/[redacted]/atom/" in text, "Django's own lines too"


def test_query_values_are_not_logged(client, stderr):
    declare_hcp(client)

    client.get("/search/", {"q": "patient-name-in-a-query", "page": "2"})
    client.get("/articles/", {"type": "nothing-like-it"})

    assert "patient-name-in-a-query" not in stderr.getvalue()
    assert [line["path"] for line in request_lines(stderr)] == ["/search/", "/articles/"]


def test_addresses_without_secrets_are_logged_as_they_are(client, stderr):
    for address in ["/feeds/rss/", "/accounts/password/reset/key/done/", "/articles/"]:
        client.get(address)

    assert [line["path"] for line in request_lines(stderr)] == [
        "/feeds/rss/",
        "/accounts/password/reset/key/done/",
        "/articles/",
    ]


def test_every_line_has_a_utc_timestamp(client, stderr):
    before = datetime.now(UTC).replace(microsecond=0)

    client.get("/feeds/no-such-key/rss/")  # a 404: the request line and Django's warning
    logging.getLogger("hub.anything").info("A plain record")

    lines = stderr.getvalue().splitlines()
    assert len(lines) == 3
    (request,) = request_lines(stderr)
    assert re.fullmatch(STAMP, request["time"])
    assert before <= datetime.fromisoformat(request["time"]) <= datetime.now(UTC)
    plain = [line for line in lines if not line.startswith("{")]
    assert plain[0].split(" ", 1)[1].startswith("WARNING django.request request_id=")
    assert re.search(r" INFO hub\.anything request_id=\S+ A plain record$", plain[1])
    for line in plain:
        assert re.match(STAMP + " ", line), line
