"""Each hub's contact form reaches that hub's recipients, in its brand; an editor reads
their hubs' messages only."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from hub.models import ContactMessage
from tests.conftest import Client
from tests.hub.test_contact import MESSAGE
from tests.hubs.conftest import LYMPHOMA

pytestmark = pytest.mark.django_db


@pytest.fixture
def desks(two_hubs, settings):
    settings.HUB_CONTACT_EMAILS = ["everyone@example.org"]
    myeloma, lymphoma = two_hubs
    lymphoma.contact_emails = "desk@lymphoma.example\n\n  chief@lymphoma.example \n"
    lymphoma.save()
    return myeloma, lymphoma


def test_a_message_goes_to_its_hubs_recipients_in_its_brand(desks):
    myeloma, lymphoma = desks

    Client(HTTP_HOST=LYMPHOMA).post(reverse("contact"), MESSAGE)
    Client().post(reverse("contact"), {**MESSAGE, "subject": "For the myeloma hub"})

    there, here = mail.outbox
    assert there.to == ["desk@lymphoma.example", "chief@lymphoma.example"]
    assert there.from_email.startswith("Lymphoma Matters <")
    assert f"http://{LYMPHOMA}/" in there.body
    assert here.to == ["everyone@example.org"]  # no addresses of its own: the install's
    assert here.from_email.startswith("Myeloma Matters <")
    hubs = dict(ContactMessage.objects.values_list("subject", "hub_id"))
    assert hubs == {"A correction": lymphoma.pk, "For the myeloma hub": myeloma.pk}


def test_a_hubs_recipients_must_be_addresses(desks, make_editor):
    _, lymphoma = desks
    client = Client()
    client.force_login(make_editor(is_superuser=True))
    url = reverse("admin:hubs_hub_change", args=[lymphoma.pk])
    form = {
        "name": lymphoma.name,
        "slug": lymphoma.slug,
        "contact_emails": "desk@lymphoma.example\nnot an address",
        "hosts-TOTAL_FORMS": "1",
        "hosts-INITIAL_FORMS": "1",
        "hosts-MIN_NUM_FORMS": "1",
        "hosts-0-id": lymphoma.hosts.get(is_primary=True).pk,
        "hosts-0-hub": lymphoma.pk,
        "hosts-0-host": LYMPHOMA,
        "hosts-0-is_primary": "on",
    }

    response = client.post(url, form)

    assert response.status_code == 200
    assert "“not an address” is not an email address." in response.content.decode()
    lymphoma.refresh_from_db()
    assert lymphoma.contact_emails.startswith("desk@lymphoma.example\n\n")


def test_an_editor_reads_their_hubs_messages_only(desks, make_editor):
    myeloma, lymphoma = desks
    fields = {"name": "Dr Ada", "email": "ada@example.org", "message": "Hello."}
    theirs = ContactMessage.objects.create(hub=myeloma, subject="Theirs", **fields)
    ContactMessage.objects.create(hub=lymphoma, subject="Ours", **fields)
    editor = make_editor("lymphoma-editor@example.com", hubs=[lymphoma], is_superuser=False)
    editor.user_permissions.add(*Permission.objects.filter(codename="view_contactmessage"))
    client = Client()
    client.force_login(editor)

    html = client.get(reverse("admin:hub_contactmessage_changelist")).content.decode()

    assert "Ours" in html and "Theirs" not in html
    url = reverse("admin:hub_contactmessage_change", args=[theirs.pk])
    assert client.get(url).status_code == 302


def test_the_readers_export_names_the_hub_of_each_message(desks, make_user):
    _, lymphoma = desks
    reader = make_user("ada@example.org")
    Client(HTTP_HOST=LYMPHOMA).post(reverse("contact"), MESSAGE)
    client = Client()
    client.force_login(reader)

    data = json.loads(client.get(reverse("accounts:export_data")).content)

    assert [m["hub_name"] for m in data["contact_messages"]] == [lymphoma.name]
