"""Forms for sign-up details, the reader's profile, interests and account deletion."""

from django import forms
from django.db.models import BigIntegerField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import Profession, User
from articles.models import Topic

PROFILE_FIELDS = ["full_name", "profession", "specialty", "country", "institution"]


class SignupDetailsForm(forms.Form):
    """The Hub's questions on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    profession = forms.ChoiceField(
        label=_("Profession"), choices=[("", _("Choose…")), *Profession.choices]
    )
    specialty = forms.CharField(
        label=_("Specialty"), max_length=120, help_text=_("For example: haematology.")
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
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = User
        fields = ["interests"]

    def ticked_topic_ids(self):
        """The topics to show ticked: the saved ones, or on a re-render what was sent.

        Values that are not topic ids are left out here; the field's error names them.
        """
        values = self["interests"].value() or []
        return {pk for pk in map(_topic_id, values) if pk is not None}


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be erased for good.")
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password
