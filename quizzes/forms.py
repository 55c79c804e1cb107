"""The quiz a reader fills in: one field per question, choices from that question only."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes.models import Agreement, Evaluation, FollowUp, Intent, Question

CONFIDENCE_SCALE = [
    ("1", _("1 – Not at all confident")),
    ("2", _("2 – Slightly confident")),
    ("3", _("3 – Somewhat confident")),
    ("4", _("4 – Fairly confident")),
    ("5", _("5 – Very confident")),
]


COMMITMENT_LENGTH = 1000


class QuizForm(forms.Form):
    def __init__(
        self,
        questions,
        *args,
        confidence_question="",
        ask_intent=False,
        ask_commitment=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        if confidence_question:
            self.fields["confidence"] = forms.TypedChoiceField(
                label=confidence_question,
                choices=CONFIDENCE_SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how confident you are.")},
            )
        for number, question in enumerate(questions, start=1):
            options = [(str(choice.pk), choice.text) for choice in question.ordered_choices]
            label = f"{number}. {question.text}"
            if question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label,
                    choices=options,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Select all that apply."),
                    error_messages={
                        "required": _("Select at least one answer to question %(number)d.")
                        % {"number": number}
                    },
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=options,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Select an answer to question %(number)d.")
                        % {"number": number}
                    },
                )
            self.fields[self.field_name(question)] = field
        if ask_intent:
            self.fields["intent"] = forms.ChoiceField(
                label=_("Will you change your practice as a result of what you read?"),
                choices=Intent.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Say whether you will change your practice.")},
            )
        if ask_commitment:
            self.fields["commitment"] = forms.CharField(
                label=_("What will you change in your practice? (optional)"),
                required=False,
                max_length=COMMITMENT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_(
                    "One or two sentences, e.g. “Ask every patient starting a BCMA-directed "
                    "therapy for an eye examination.” We will email you 30, 60 and 90 days "
                    "from now to ask how it went; each email has a link to stop them."
                ),
            )

    def clean(self):
        cleaned = super().clean()
        for question in self.questions:
            name = self.field_name(question)
            sent = self.data.getlist(name)
            # A tampered form could send several values for a radio group, or one
            # checkbox twice; neither is an answer a reader could give.
            if question.kind == Question.Kind.SINGLE and len(sent) > 1:
                self.add_error(name, _("Select a valid choice. Choose only one answer."))
            elif len(set(sent)) != len(sent):
                self.add_error(name, _("Select a valid choice. Each answer can be chosen once."))
        return cleaned

    @staticmethod
    def field_name(question):
        return f"question_{question.pk}"

    def reflections(self):
        """Confidence (1–5) and intent to change practice, where asked."""
        return {
            "confidence": self.cleaned_data.get("confidence"),
            "intent": self.cleaned_data.get("intent", ""),
            "commitment": self.cleaned_data.get("commitment", "").strip(),
        }

    def chosen(self):
        """{question id: [choice ids]} from valid data."""
        chosen = {}
        for question in self.questions:
            value = self.cleaned_data[self.field_name(question)]
            values = value if isinstance(value, list) else [value]
            chosen[question.pk] = [int(v) for v in values]
        return chosen


def quarter_value(day):
    """A quarter as the filter sends it: "2025-Q3"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def parse_quarter(value):
    """The first day of the quarter "2025-Q3", or None for anything else."""
    year, _sep, quarter = (value or "").partition("-Q")
    if not (year.isascii() and year.isdigit() and quarter in {"1", "2", "3", "4"}):
        return None
    if not 2000 <= int(year) <= 9999:
        return None
    return datetime.date(int(year), 3 * int(quarter) - 2, 1)


class ReportFilterForm(forms.Form):
    """The outcomes report's filters: one calendar quarter (or all time) and a breakdown.

    Whole quarters only, so that two windows cannot differ by a day and single out the
    readers of that day (quizzes.disclosure).
    """

    period = forms.ChoiceField(label=_("Period"), required=False)
    by = forms.ChoiceField(label=_("Break down by"), required=False)

    def __init__(self, *args, quarters=(), hubs=(), **kwargs):
        """`hubs`: the (id, name) of the hubs the viewer may look at one by one; with
        more than one, a "Hub" filter (all of them by default)."""
        from quizzes.figures import STRATA, quarter_label

        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            ("", _("All time")),
            *((quarter_value(q), quarter_label(q)) for q in quarters),
        ]
        self.fields["by"].choices = [("", _("No breakdown")), *STRATA.items()]
        if len(hubs) > 1:
            self.fields["hub"] = forms.TypedChoiceField(
                label=_("Hub"),
                choices=[("", _("Every hub")), *((str(pk), name) for pk, name in hubs)],
                coerce=int,
                empty_value=None,
                required=False,
            )

    def hubs(self, allowed):
        """The hub ids to count: the one chosen, else `allowed` (None: every hub)."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("hub"):
            return {self.cleaned_data["hub"]}
        return allowed

    def values(self):
        """(period, by) from valid data; no filter at all from invalid data."""
        if not self.is_bound or not self.is_valid():
            return None, None
        data = self.cleaned_data
        return parse_quarter(data.get("period")), data.get("by") or None

    def query_string(self):
        from django.utils.http import urlencode

        period, _by = self.values()
        query = {"period": quarter_value(period)} if period else {}
        if self.is_bound and self.is_valid() and self.cleaned_data.get("hub"):
            query["hub"] = self.cleaned_data["hub"]
        return urlencode(query)


YES_NO = [("True", _("Yes")), ("False", _("No"))]


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )


class EvaluationForm(forms.ModelForm):
    """The activity's evaluation: every question asked, a comment when bias was seen."""

    free_of_bias = _yes_no(Evaluation._meta.get_field("free_of_bias").verbose_name)
    would_recommend = _yes_no(Evaluation._meta.get_field("would_recommend").verbose_name)

    class Meta:
        model = Evaluation
        fields = [
            "relevance",
            "objectives_met",
            "faculty_quality",
            "free_of_bias",
            "bias_comment",
            "would_recommend",
            "comments",
        ]
        widgets = {
            "relevance": forms.RadioSelect,
            "objectives_met": forms.RadioSelect,
            "faculty_quality": forms.RadioSelect,
            "bias_comment": forms.Textarea(attrs={"rows": 3}),
            "comments": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "bias_comment": _("Required if you answered no: what was not fair or balanced?"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("relevance", "objectives_met", "faculty_quality"):
            field = self.fields[name]
            field.choices = Agreement.choices  # no empty "---------" among the radios
            field.error_messages["required"] = _("Choose how much you agree.")
        for name in ("bias_comment", "comments"):
            self.fields[name].max_length = COMMITMENT_LENGTH
            self.fields[name].widget.attrs["maxlength"] = COMMITMENT_LENGTH

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("free_of_bias") is False and not cleaned.get("bias_comment", "").strip():
            self.add_error(
                "bias_comment", _("Please tell us where you saw bias, so we can review it.")
            )
        return cleaned

    def validate_constraints(self, exclude=None):
        # The reader's pseudonym is set by the view after validation: the per-reader
        # constraint is the database's to enforce (a double submit), not this form's.
        return None


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["outcome", "barrier", "barrier_details"]
        widgets = {
            "outcome": forms.RadioSelect,
            "barrier": forms.RadioSelect,
            "barrier_details": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True
        self.fields["outcome"].choices = FollowUp.Outcome.choices
        self.fields["outcome"].error_messages["required"] = _("Choose an answer.")
        self.fields["barrier"].required = True
        self.fields["barrier"].choices = FollowUp.Barrier.choices
        self.fields["barrier"].error_messages["required"] = _("Choose an answer.")
        self.fields["barrier_details"].max_length = COMMITMENT_LENGTH
