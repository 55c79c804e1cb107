"""Hubs and their hosts, for whoever runs the install (a superuser by default)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hubs.models import Hub, HubHost, language_codes
from hubs.scope import HubScopedAdmin


class HubHostForm(forms.ModelForm):
    class Meta:
        model = HubHost
        fields = ["host", "is_primary"]

    def clean_host(self):
        return self.cleaned_data["host"].strip().lower()


class HostFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if sum(1 for data in kept if data.get("is_primary")) != 1:
            raise forms.ValidationError(
                _("Mark exactly one host as the hub’s address: its links and emails use it.")
            )


class HubHostInline(admin.TabularInline):
    model = HubHost
    form = HubHostForm
    formset = HostFormSet
    extra = 1
    min_num = 1


class HubForm(forms.ModelForm):
    """The languages offered as tick boxes, kept as "en,es" (hubs.models.Hub.languages)."""

    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=Hub._meta.get_field("languages").help_text,
    )

    class Meta:
        model = Hub
        fields = ["name", "slug", "languages", "contact_emails"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["languages"] = language_codes(self.instance.languages)

    def clean_languages(self):
        chosen = set(self.cleaned_data["languages"])
        # In the install's order, so that "the first" is the same whatever was ticked.
        return ",".join(code for code, _name in settings.LANGUAGES if code in chosen)


@admin.register(Hub)
class HubAdmin(HubScopedAdmin, admin.ModelAdmin):
    hub_path = "pk"  # an editor sees the hubs they edit
    form = HubForm
    list_display = ["name", "slug", "address", "is_default"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [HubHostInline]
    search_fields = ["name", "slug", "hosts__host"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("hosts")

    @admin.display(description=_("address"))
    def address(self, hub):
        return next((host.host for host in hub.hosts.all() if host.is_primary), "")

    def has_add_permission(self, request):
        return request.user.is_superuser  # a new hub is the publisher's decision

    def has_delete_permission(self, request, obj=None):
        # The first hub speaks for emails sent outside a request: it stays.
        return super().has_delete_permission(request, obj) and not (obj and obj.is_default)
