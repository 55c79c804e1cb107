"""Subscribe without an account, confirm by email, leave with one click."""

from django import forms
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from articles.models import Topic
from common.http import gate_exempt, same_origin_post, shared_page
from common.ratelimit import too_many
from hubs import directory as hubs
from newsletter.emails import (
    CONFIRM_MAX_AGE,
    CONFIRM_SALT,
    UNSUBSCRIBE_SALT,
    confirm_url,
    load_token,
    send,
)
from newsletter.models import Subscriber


def _here():
    """This hub's subscriptions: a link or form on one hub reaches only its own."""
    return Subscriber.objects.filter(hub_id=hubs.current().id)


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    interests = forms.ModelMultipleChoiceField(
        label=_("Topics you want to hear about (optional)"),
        queryset=Topic.objects.none(),  # this hub's topics (__init__)
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked to hear about every new article."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].queryset = Topic.objects.on_hub()


@shared_page  # its GET is the same for every declared reader; POSTs are never cached
@same_origin_post  # the form is on a shared page: no CSRF token, a same-site check
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if too_many(request, "newsletter", limit=10, seconds=3600):
            form.add_error(None, _("Too many attempts from your address. Try again later."))
        else:
            _subscribe(request, form.cleaned_data["email"], form.cleaned_data["interests"])
            return redirect("newsletter:check_email")
    return render(
        request,
        "newsletter/subscribe.html",
        {
            "form": form,
            # Drawn as the Interests page draws it: subtopics under their topic.
            "topic_tree": Topic.tree(list(Topic.objects.on_hub())),
            "chosen": _ticked(form),
        },
    )


def _ticked(form):
    """The topic ids to show ticked again when the form comes back with an error."""
    ticked = set()
    for value in form["interests"].value() or []:
        try:
            ticked.add(int(value))
        except (TypeError, ValueError):
            continue  # not a topic: the field's error says so
    return ticked


def _subscribe(request, email, interests):
    """Create or refresh the subscription and send the right email. The page a visitor
    sees next is the same either way, so nobody learns who is subscribed."""
    subscriber = _here().filter(email__iexact=email).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(
                    hub_id=hubs.current().id, email=email.lower()
                )
        except IntegrityError:  # the same address submitted twice at once
            subscriber = _here().get(email__iexact=email)
    if subscriber.confirmed_at:
        send(subscriber, _("You are already subscribed"), "newsletter/email/already", {}, request)
        return
    subscriber.interests.set(interests)
    subscriber.language = translation.get_language()
    subscriber.save(update_fields=["language"])
    send(
        subscriber,
        _("Please confirm your subscription"),
        "newsletter/email/confirm",
        {"confirm_url": confirm_url(subscriber, request)},
        request,
    )


@require_safe
def check_email(request):
    return render(request, "newsletter/check_email.html")


@gate_exempt  # confirming must work straight from the email
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    pk = load_token(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    subscriber = _here().filter(pk=pk).first() if isinstance(pk, int) else None
    if subscriber is None:
        return render(request, "newsletter/invalid_link.html", status=400)
    if request.method == "POST" and not subscriber.confirmed_at:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return render(request, "newsletter/confirm.html", {"subscriber": subscriber})


@gate_exempt  # leaving must work straight from the email
@csrf_exempt  # one-click unsubscribe (RFC 8058) posts from the mail client; the token is the key
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    data = load_token(token, UNSUBSCRIBE_SALT)
    subscriber = None
    if isinstance(data, list) and len(data) == 2:
        subscriber = _here().filter(pk=data[0], email__iexact=data[1]).first()
    if request.method == "POST":
        if subscriber:
            subscriber.delete()
        elif data is None:
            return render(request, "newsletter/invalid_link.html", status=400)
        return render(request, "newsletter/unsubscribed.html")
    if data is None:
        return render(request, "newsletter/invalid_link.html", status=400)
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})
