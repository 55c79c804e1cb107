"""Forms for sign-up details, the reader's profile, interests and account deletion."""

from allauth.core import ratelimit
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django import forms
from django.db.models import BigIntegerField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import Profession, Specialty, User
from articles.models import Topic

PROFILE_FIELDS = ["full_name", "profession", "specialty", "country", "institution"]


class SignupDetailsForm(forms.Form):
    """The Hub's questions on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    profession = forms.ChoiceField(
        label=_("Profession"), choices=[("", _("Choose…")), *Profession.choices]
    )
    specialty = forms.ChoiceField(
        label=_("Specialty"),
        choices=[("", _("Choose…")), *Specialty.choices],
        help_text=_("Choose “Other specialty” if yours is not listed."),
    )
    country = forms.ChoiceField(
        label=_("Country"), choices=lambda: [("", _("Choose…")), *countries]
    )
    institution = forms.CharField(label=_("Institution"), max_length=200)
    hcp_declaration = forms.BooleanField(
        label=_(
            "I confirm that I am a healthcare professional and that I will use this site "
            "in my professional capacity."
        ),
        error_messages={
            "required": _("The Hub is for healthcare professionals only: please confirm.")
        },
    )

    def signup(self, request, user):
        for field in PROFILE_FIELDS:
            setattr(user, field, self.cleaned_data[field])
        user.hcp_declared_at = timezone.now()
        user.save()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PROFILE_FIELDS:
            self.fields[name].required = True


def _topic_id(value):
    """value as a topic id, or None: "²", "①" and 2**64 are not ids."""
    try:
        return forms.IntegerField(min_value=1, max_value=BigIntegerField.MAX_BIGINT).clean(value)
    except forms.ValidationError:
        return None


class TopicsField(forms.ModelMultipleChoiceField):
    """Refuses what is not a topic id before the database sees it.

    SQLite cannot even compare an id beyond 64 bits (OverflowError).
    """

    def clean(self, value):
        for pk in value if isinstance(value, list | tuple) else []:
            if _topic_id(pk) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class InterestsForm(forms.ModelForm):
    interests = TopicsField(
        label=_("Areas of interest"),
        queryset=Topic.objects.none(),  # this hub's topics (__init__)
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = User
        fields = ["interests"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interests"].queryset = Topic.objects.on_hub()

    def clean_interests(self):
        """The topics ticked here, and those chosen on other hubs, which this hub's page
        does not show and so cannot have unticked."""
        ticked = self.cleaned_data["interests"]
        if self.instance.pk is None:
            return ticked
        here = self.fields["interests"].queryset
        return [*ticked, *self.instance.interests.exclude(pk__in=here.values("pk"))]

    def ticked_topic_ids(self):
        """The topics to show ticked: the saved ones, or on a re-render what was sent.

        Values that are not topic ids are left out here; the field's error names them.
        """
        values = self["interests"].value() or []
        return {pk for pk in map(_topic_id, values) if pk is not None}


class DeleteAccountForm(forms.Form):
    """Erasing an account takes the password, and a code too when two-factor is on.

    Each try counts against ACCOUNT_RATE_LIMITS["delete_account"] (per reader and per
    address), so someone holding a reader's session cannot guess them here.
    """

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be erased for good.")
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = request.user
        super().__init__(*args, **kwargs)
        self.authenticators = list(
            Authenticator.objects.filter(
                user=self.user,
                type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES],
            )
        )
        if any(a.type == Authenticator.Type.TOTP for a in self.authenticators):
            self.fields["code"] = forms.CharField(
                label=_("Authenticator code"),
                help_text=_(
                    "The code your authenticator app shows now, or one of your recovery codes."
                ),
                widget=forms.TextInput(
                    attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
                ),
            )
            self.order_fields(["password", "code", "confirm"])

    def clean(self):
        cleaned_data = super().clean()
        password = cleaned_data.get("password")
        if password is None:
            return cleaned_data
        # Counted before the check, so a burst of parallel guesses is held too.
        if not ratelimit.consume(self.request, action="delete_account", user=self.user):
            raise forms.ValidationError(
                _("Too many attempts. Try again later."), code="rate_limited"
            )
        if not self.user.check_password(password):
            self.add_error("password", _("That is not your password."))
        elif "code" in cleaned_data and not self._is_current_code(cleaned_data["code"]):
            self.add_error("code", get_mfa_adapter().validation_error("incorrect_code"))
        return cleaned_data

    def _is_current_code(self, code):
        """A code from the authenticator app or an unused recovery code (then used up)."""
        return any(a.wrap().validate_code(code) for a in self.authenticators)
