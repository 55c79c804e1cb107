"""The editors' desk as staff see it: one section per app, each named once."""

import re
from collections import Counter

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_index_names_each_section_once(client, make_editor):
    client.force_login(make_editor(is_superuser=True))

    html = client.get(reverse("admin:index")).content.decode()

    sections = re.findall(r'<caption>\s*<span class="section">([^<]+)</span>', html)
    assert "Readers" in sections and "Content" in sections
    assert Counter(sections).most_common(1)[0][1] == 1, sections
