from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from brand import logos
from brand.models import Brand
from hubs.models import Hub


class BrandForm(forms.ModelForm):
    class Meta:
        model = Brand
        fields = ["hub", "name", "tagline", "logo", "accent", "social_image", "is_demo"]
        # Text, not a colour picker: the hex value stays visible, and can be pasted from a
        # style guide.
        widgets = {"accent": forms.TextInput(attrs={"size": 8, "spellcheck": "false"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "hub" in self.fields:
            self.fields["hub"].required = False
            self.fields["hub"].help_text = _("Left empty: the first hub.")

    def clean_hub(self):
        """A brand is for one hub; none chosen means the first hub, if it has none yet."""
        hub = self.cleaned_data.get("hub")
        if hub is None and self.instance.hub_id is not None:
            return self.instance.hub  # a brand stays with its hub
        if hub is None:
            hub = Hub.objects.filter(is_default=True).first()
        if hub is not None and Brand.objects.filter(hub=hub).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This hub has a brand already: edit that one."))
        return hub

    def clean_accent(self):
        return self.cleaned_data["accent"].strip().lower()

    def clean_logo(self):
        """A new SVG is stored as the drawing the checks read, nothing else of the file."""
        logo = self.cleaned_data["logo"]
        if isinstance(logo, UploadedFile) and logos.is_svg(logo.name):
            data = logos.read(logo, logos.MAX_LOGO_BYTES)
            logo = ContentFile(logos.clean_svg(data), name=logo.name)
        return logo
