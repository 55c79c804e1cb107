"""What the articles desk's pages share, and what other apps' desks use of it:
the https:// address fields, the hub-scoped admin of shared content, the links other
apps add to an article's page and the topic chooser."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce

from common.admin import DESK_FIELDS
from hubs.scope import HubScopedAdmin

# Addresses typed without a scheme are https://, as Django 6 will assume; times and dates
# in the browser's own controls (common.admin).
HTTPS_URLS = {**DESK_FIELDS, models.URLField: {"assume_scheme": "https"}}


class OnHubsAdmin(HubScopedAdmin, admin.ModelAdmin):
    """Content with a home hub and hubs it is shared with, edited by the editors of its
    home hub (hubs.scope): the hubs as radio buttons and tick boxes (a few hubs, each
    visible at once)."""

    radio_fields = {"hub": admin.HORIZONTAL}


# Links other apps add to an article's admin page (e.g. its quiz), registered when
# their admin modules load; the core never names them.
_article_links = []


def register_article_link(link):
    """`link(article)` returns (text, url) for the article's change page, or None."""
    if link not in _article_links:
        _article_links.append(link)


def article_links(article):
    """The (text, url) links other apps give for `article`'s change page."""
    return [found for link in _article_links if (found := link(article))]


class TopicChoices(forms.ModelMultipleChoiceField):
    """Topics as a list of ticks (not the admin's two-list chooser, whose controls have
    no names), each nested topic named with the one it sits in, below it."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, queryset, **kwargs):
        parent_first = [
            Coalesce("parent__order", "order"),
            Coalesce("parent__name", "name"),
            F("parent").asc(nulls_first=True),
            "order",
            "name",
        ]
        queryset = queryset.select_related("parent").order_by(*parent_first)
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, topic):
        if topic.parent_id:
            return f"{topic.parent.name} › {topic.name}"
        return topic.name
