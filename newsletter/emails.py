"""The newsletter's emails: signed links, the subscriber's language, a way out in each.

A confirmation link expires after a week, an unsubscribe link never does; a tampered
link is refused. Links made during a request use the address the visitor used;
digests, sent outside any request, use DJANGO_BASE_URL.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from brand.models import current as current_brand
from common.mail import send_later

CONFIRM_SALT = "hub.newsletter.confirm"
UNSUBSCRIBE_SALT = "hub.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7


def absolute(path, request=None):
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.HUB_BASE_URL.rstrip("/") + path


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
    """One email to one subscriber, in their language, always with a working way out."""
    site_name = current_brand().name
    with translation.override(subscriber.language):
        leave = unsubscribe_url(subscriber, request)
        body = render_to_string(
            template,
            {
                **context,
                "site_name": site_name,
                "subscriber": subscriber,
                "unsubscribe_url": leave,
            },
        )
        return EmailMessage(
            subject=f"[{site_name}] {subject}",
            body=body,
            to=[subscriber.email],
            headers={
                "List-Unsubscribe": f"<{leave}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )


def send(subscriber, subject, template, context, request=None):
    """Queue the email for the worker: a visitor never waits for the mail server."""
    send_later(message(subscriber, subject, template, context, request))
