"""The newsletter's emails: signed links, the subscriber's language, a way out in each.

A confirmation link expires after a week, an unsubscribe link never does; a tampered
link is refused. Links made during a request use the address the visitor used;
digests, sent outside any request, use the hub's address (hubs.directory.base_url).
A link works only on the hub whose subscription it names.
"""

from django.core import signing
from django.urls import reverse
from django.utils import translation

from brand.mail import branded_email
from common.mail import send_later
from hubs import directory as hubs

CONFIRM_SALT = "hub.newsletter.confirm"
UNSUBSCRIBE_SALT = "hub.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7


def absolute(path, request=None):
    if request is not None:
        return request.build_absolute_uri(path)
    return hubs.base_url() + path


def confirm_url(subscriber, request=None):
    token = signing.dumps(subscriber.pk, salt=CONFIRM_SALT)
    return absolute(reverse("newsletter:confirm", args=[token]), request)


def unsubscribe_url(subscriber, request=None):
    token = signing.dumps([subscriber.pk, subscriber.email.lower()], salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("newsletter:unsubscribe", args=[token]), request)


def load_token(token, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


def message(subscriber, subject, template, context, request=None):
    """One email to one subscriber, in their language, always with a working way out.

    `template` names the text and HTML parts without their extension."""
    with translation.override(subscriber.language):
        leave = unsubscribe_url(subscriber, request)
        return branded_email(
            template,
            {**context, "subscriber": subscriber, "unsubscribe_url": leave},
            subject=subject,
            to=[subscriber.email],
            site_url=absolute(reverse("home"), request),
            headers={
                "List-Unsubscribe": f"<{leave}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def send(subscriber, subject, template, context, request=None):
    """Queue the email for the worker: a visitor never waits for the mail server."""
    send_later(message(subscriber, subject, template, context, request))
