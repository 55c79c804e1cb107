"""The newsletter: subscribe without an account, confirm by email, leave with one click.

Links in emails carry signed tokens: a confirmation link expires after a week, an
unsubscribe link never does; a tampered link is refused.
"""

from django import forms
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from articles.models import Topic
from hub.models import Subscriber
from hub.ratelimit import too_many

CONFIRM_SALT = "hub.newsletter.confirm"
UNSUBSCRIBE_SALT = "hub.newsletter.unsubscribe"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    interests = forms.ModelMultipleChoiceField(
        label=_("Topics you want to hear about (optional)"),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked to hear about every new article."),
    )


def confirm_url(subscriber):
    token = signing.dumps(subscriber.pk, salt=CONFIRM_SALT)
    return absolute(reverse("newsletter:confirm", args=[token]))


def unsubscribe_url(subscriber):
    token = signing.dumps([subscriber.pk, subscriber.email.lower()], salt=UNSUBSCRIBE_SALT)
    return absolute(reverse("newsletter:unsubscribe", args=[token]))


def absolute(path):
    return settings.HUB_BASE_URL.rstrip("/") + path


def send(subscriber, subject, template, context):
    """One email to one subscriber, in their language, always with a working way out."""
    with translation.override(subscriber.language):
        _send(subscriber, str(subject), template, context)


def _send(subscriber, subject, template, context):
    leave = unsubscribe_url(subscriber)
    body = render_to_string(
        template,
        {
            **context,
            "site_name": settings.HUB_SITE_NAME,
            "subscriber": subscriber,
            "unsubscribe_url": leave,
        },
    )
    EmailMessage(
        subject=f"[{settings.HUB_SITE_NAME}] {subject}",
        body=body,
        to=[subscriber.email],
        headers={
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    ).send()


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if too_many(request, "newsletter", limit=10, seconds=3600):
            form.add_error(None, _("Too many attempts from your address. Try again later."))
        else:
            _subscribe(form.cleaned_data["email"], form.cleaned_data["interests"])
            return redirect("newsletter:check_email")
    return render(request, "hub/newsletter/subscribe.html", {"form": form})


def _subscribe(email, interests):
    """Create or refresh the subscription and send the right email. The page a visitor
    sees next is the same either way, so nobody learns who is subscribed."""
    subscriber = Subscriber.objects.filter(email__iexact=email).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=email.lower())
        except IntegrityError:  # the same address submitted twice at once
            subscriber = Subscriber.objects.get(email__iexact=email)
    if subscriber.confirmed_at:
        send(subscriber, _("You are already subscribed"), "hub/email/newsletter_already.txt", {})
        return
    subscriber.interests.set(interests)
    subscriber.language = translation.get_language()
    subscriber.save(update_fields=["language"])
    send(
        subscriber,
        _("Please confirm your subscription"),
        "hub/email/newsletter_confirm.txt",
        {"confirm_url": confirm_url(subscriber)},
    )


@require_GET
def check_email(request):
    return render(request, "hub/newsletter/check_email.html")


def _load(token, salt, max_age=None):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    pk = _load(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    subscriber = Subscriber.objects.filter(pk=pk).first() if pk is not None else None
    if subscriber is None:
        return render(request, "hub/newsletter/invalid_link.html", status=400)
    if request.method == "POST" and not subscriber.confirmed_at:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return render(request, "hub/newsletter/confirm.html", {"subscriber": subscriber})


@csrf_exempt  # one-click unsubscribe (RFC 8058) posts from the mail client; the token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    data = _load(token, UNSUBSCRIBE_SALT)
    subscriber = None
    if isinstance(data, list) and len(data) == 2:
        subscriber = Subscriber.objects.filter(pk=data[0], email__iexact=data[1]).first()
    if request.method == "POST":
        if subscriber:
            subscriber.delete()
        elif data is None:
            return render(request, "hub/newsletter/invalid_link.html", status=400)
        return render(request, "hub/newsletter/unsubscribed.html")
    if data is None:
        return render(request, "hub/newsletter/invalid_link.html", status=400)
    return render(request, "hub/newsletter/unsubscribe.html", {"subscriber": subscriber})
