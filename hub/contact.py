"""The contact form: stored, emailed to staff, rate limited, and closed to simple bots."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from brand.mail import branded_email
from common.http import gate_exempt
from common.mail import send_later
from common.ratelimit import too_many
from hub.models import ContactMessage


class ContactForm(forms.ModelForm):
    # A field people never see; bots fill it in. The name looks worth filling.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "subject", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 8})}

    def clean(self):
        cleaned = super().clean()
        for field in ("name", "subject"):
            if any(c in cleaned.get(field, "") for c in "\r\n"):
                self.add_error(field, _("Please keep this on one line."))
        return cleaned

    def is_bot(self):
        return bool(self.cleaned_data.get("website"))


@gate_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_bot():
            return redirect("contact_thanks")  # say nothing useful to a bot, store nothing
        if too_many(request, "contact", limit=5, seconds=3600):
            form.add_error(
                None, _("You have sent several messages already. Please try again in an hour.")
            )
        else:
            with transaction.atomic():  # the message and its notification, or neither
                message = form.save()
                _notify_staff(message, request)
            return redirect("contact_thanks")
    return render(request, "hub/contact.html", {"form": form})


def _notify_staff(message, request):
    """Email the hub's contact addresses, else the install's, else its active superusers.

    The message is queued, not sent: a slow or failing mail server cannot fail the form
    (the message is stored and listed in the admin whatever happens to the email)."""
    recipients = (
        message.hub.contact_recipients()
        or settings.HUB_CONTACT_EMAILS
        or list(
            get_user_model()
            .objects.filter(is_superuser=True, is_active=True)
            .values_list("email", flat=True)
        )
    )
    if not recipients:
        return
    with translation.override(settings.LANGUAGE_CODE):  # the editors', not the visitor's
        email = branded_email(
            "hub/email/contact",
            {"message": message},
            subject=_("Contact form: %(subject)s") % {"subject": message.subject},
            to=recipients,
            reply_to=[message.email],
            site_url=request.build_absolute_uri(reverse("home")),
        )
    send_later(email)


@gate_exempt
@require_safe
def thanks(request):
    return render(request, "hub/contact_thanks.html")
