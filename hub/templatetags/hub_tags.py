"""Template helpers for the site frame."""

from django import template
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def join_names(names):
    """["A", "B", "C"] -> "A, B and C" (translated "and")."""
    return get_text_list(list(names), _("and"))
