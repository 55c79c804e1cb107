from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from brand import logos
from brand.models import Brand


class BrandForm(forms.ModelForm):
    class Meta:
        model = Brand
        fields = ["name", "tagline", "logo", "accent", "social_image", "is_demo"]
        # Text, not a colour picker: the hex value stays visible, and can be pasted from a
        # style guide.
        widgets = {"accent": forms.TextInput(attrs={"size": 8, "spellcheck": "false"})}

    def clean_accent(self):
        return self.cleaned_data["accent"].strip().lower()

    def clean_logo(self):
        """A new SVG is stored as the drawing the checks read, nothing else of the file."""
        logo = self.cleaned_data["logo"]
        if isinstance(logo, UploadedFile) and logos.is_svg(logo.name):
            data = logos.read(logo, logos.MAX_LOGO_BYTES)
            logo = ContentFile(logos.clean_svg(data), name=logo.name)
        return logo
