"""Each hub lists its own funders, at the level they fund it, and its own steering
committee; an editor changes only their hubs' sponsorships and seats."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.models import Expert, Sponsor, Sponsorship
from tests.articles.factories import make_expert, make_sponsor
from tests.conftest import Client, declare_hcp
from tests.hubs.admin_form import form_of
from tests.hubs.conftest import LYMPHOMA

pytestmark = pytest.mark.django_db

GOLD, SILVER, PLATINUM = Sponsor.Level.GOLD, Sponsor.Level.SILVER, Sponsor.Level.PLATINUM


def page(path, host="testserver"):
    response = declare_hcp(Client(HTTP_HOST=host)).get(path)
    return response.status_code, response.content.decode()


@pytest.fixture
def funders(two_hubs):
    myeloma, lymphoma = two_hubs
    Sponsor.objects.all().delete()
    both = make_sponsor("Northwind", level=PLATINUM, hub=myeloma)
    both.sponsorships.create(hub=lymphoma, level=SILVER)
    make_sponsor("Myeloma Only Co", level=GOLD, hub=myeloma)
    make_sponsor("Lymphoma Only Co", level=GOLD, hub=lymphoma)
    make_sponsor("Former Funder", level=PLATINUM, hub=lymphoma, is_active=False)
    return myeloma, lymphoma, both


def test_each_hubs_footer_names_its_own_funders_by_its_levels(funders):
    _, here = page("/")
    _, there = page("/", LYMPHOMA)

    assert "sponsored by Northwind and Myeloma Only Co." in here
    assert "Lymphoma Only Co" not in here
    assert "sponsored by Lymphoma Only Co and Northwind." in there
    assert "Myeloma Only Co" not in there and "Former Funder" not in there


def test_each_hubs_funders_page_lists_its_funders_at_their_level_there(funders):
    status, here = page("/funders/")
    _, there = page("/funders/", LYMPHOMA)

    assert status == 200
    assert here.index("Platinum funders") < here.index("Northwind") < here.index("Gold funders")
    assert "Myeloma Only Co" in here and "Lymphoma Only Co" not in here
    assert there.index("Gold funders") < there.index("Lymphoma Only Co")
    assert there.index("Silver funders") < there.index("Northwind")
    assert "Platinum funders" not in there and "Myeloma Only Co" not in there


def test_a_funder_changed_on_one_hub_changes_that_hubs_footer_at_once(funders):
    _, lymphoma, both = funders
    page("/")
    page("/", LYMPHOMA)  # both footers kept

    Sponsorship.objects.get(sponsor=both, hub=lymphoma).delete()

    assert "Northwind" not in page("/", LYMPHOMA)[1]
    assert "Northwind" in page("/")[1]


@pytest.fixture
def committees(two_hubs):
    myeloma, lymphoma = two_hubs
    chair = make_expert("Dr Both Committees", hub=myeloma)
    chair.committees.add(myeloma, lymphoma)
    make_expert("Dr Myeloma Seat", hub=myeloma).committees.add(myeloma)
    make_expert("Dr Lymphoma Seat", hub=lymphoma).committees.add(lymphoma)
    return myeloma, lymphoma, chair


def test_each_hub_has_its_own_steering_committee(committees):
    _, here = page("/steering-committee/")
    _, there = page("/steering-committee/", LYMPHOMA)

    assert "Dr Both Committees" in here and "Dr Myeloma Seat" in here
    assert "Dr Lymphoma Seat" not in here
    assert "Dr Both Committees" in there and "Dr Lymphoma Seat" in there
    assert "Dr Myeloma Seat" not in there


def test_a_member_of_a_hubs_committee_is_reachable_there(committees):
    _, lymphoma, chair = committees
    seat_only_here = Expert.objects.get(name="Dr Myeloma Seat")

    status, there = page(chair.get_absolute_url(), LYMPHOMA)

    assert status == 200 and "Member of the steering committee" in there
    assert page(seat_only_here.get_absolute_url(), LYMPHOMA)[0] == 404
    chair.committees.remove(lymphoma)
    status, there = page(chair.get_absolute_url(), LYMPHOMA)
    assert status == 404


@pytest.fixture
def desk(funders, make_editor):
    myeloma, lymphoma, both = funders
    editor = make_editor("lymphoma-editor@example.com", hubs=[lymphoma], is_superuser=False)
    codenames = [
        f"{verb}_{model}"
        for model in ("sponsor", "sponsorship", "expert")
        for verb in ("view", "change", "add", "delete")
    ]
    editor.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(editor)
    return client, myeloma, lymphoma, both


def test_an_editor_lists_their_hubs_funders_and_new_ones(desk):
    client, *_ = desk
    make_sponsor("Not Yet Funding", level=None)

    html = client.get(reverse("admin:articles_sponsor_changelist")).content.decode()

    assert "Lymphoma Only Co" in html and "Northwind" in html and "Not Yet Funding" in html
    assert "Myeloma Only Co" not in html
    # Northwind's funding of the other hub (Platinum) is not shown.
    assert '<td class="field-funding">Lymphoma: Silver</td>' in html


def test_another_hubs_funder_is_not_found_by_address(desk):
    client, *_ = desk
    theirs = Sponsor.objects.get(name="Myeloma Only Co")

    response = client.get(reverse("admin:articles_sponsor_change", args=[theirs.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_saving_a_shared_funder_changes_only_the_editors_hub(desk):
    client, myeloma, lymphoma, both = desk
    url = reverse("admin:articles_sponsor_change", args=[both.pk])
    form = form_of(client.get(url))
    assert form["sponsorships-TOTAL_FORMS"] == ["1"]  # the other hub's is not shown
    form["sponsorships-0-level"] = [str(GOLD)]
    form["name"] = ["Northwind Pharma"]

    response = client.post(url, form)

    assert response.status_code == 302
    levels = dict(Sponsorship.objects.filter(sponsor=both).values_list("hub_id", "level"))
    assert levels == {myeloma.pk: PLATINUM, lymphoma.pk: GOLD}
    assert "sponsored by Northwind Pharma and Myeloma Only Co." in page("/")[1]


def test_an_editor_cannot_fund_another_hub_by_tampering(desk):
    client, myeloma, lymphoma, _ = desk
    ours = Sponsor.objects.get(name="Lymphoma Only Co")
    url = reverse("admin:articles_sponsor_change", args=[ours.pk])
    form = form_of(client.get(url))
    form["sponsorships-0-hub"] = [str(myeloma.pk)]

    response = client.post(url, form)

    assert response.status_code == 200  # the form again, with its error
    assert "Select a valid choice" in response.content.decode()
    assert list(Sponsorship.objects.filter(sponsor=ours).values_list("hub_id", flat=True)) == [
        lymphoma.pk
    ]


def test_a_funder_of_another_hub_too_cannot_be_deleted_by_an_editor(desk):
    client, myeloma, _, both = desk
    ours = Sponsor.objects.get(name="Lymphoma Only Co")

    response = client.post(
        reverse("admin:articles_sponsor_delete", args=[both.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    changelist = reverse("admin:articles_sponsor_changelist")
    action = {"action": "delete_selected", "post": "yes"}
    response = client.post(changelist, {**action, "_selected_action": [both.pk, ours.pk]})
    assert response.status_code == 403  # refused whole: nothing is deleted
    assert Sponsor.objects.filter(pk__in=[both.pk, ours.pk]).count() == 2

    client.post(changelist, {**action, "_selected_action": [ours.pk]})

    assert not Sponsor.objects.filter(pk=ours.pk).exists()
    assert Sponsorship.objects.filter(sponsor=both, hub=myeloma).exists()


def test_an_editor_saving_an_expert_keeps_other_hubs_seats_and_sharing(desk):
    client, myeloma, lymphoma, _ = desk
    expert = make_expert("Dr Shared Seat", hub=lymphoma)
    expert.committees.add(myeloma, lymphoma)
    expert.shared_with.add(myeloma)
    url = reverse("admin:articles_expert_change", args=[expert.pk])
    form = form_of(client.get(url))
    assert form["committees"] == [str(lymphoma.pk)]  # only their hub is offered
    form["role"] = ["Consultant"]

    assert client.post(url, form).status_code == 302

    expert.refresh_from_db()
    assert expert.role == "Consultant"
    assert set(expert.committees.values_list("pk", flat=True)) == {myeloma.pk, lymphoma.pk}
    assert list(expert.shared_with.values_list("pk", flat=True)) == [myeloma.pk]


def listed(client, **filters):
    html = client.get(reverse("admin:articles_sponsor_changelist"), filters).content.decode()
    names = ("Northwind", "Lymphoma Only Co", "Myeloma Only Co", "Former Funder", "Not Yet")
    return {name for name in names if f">{name}" in html}


def test_an_editors_funder_filters_look_at_their_hubs_funding_only(desk):
    client, *_ = desk
    make_sponsor("Not Yet Funding", level=None)

    # Northwind funds the other hub at Platinum, this one at Silver.
    assert listed(client, level=PLATINUM) == {"Former Funder"}
    assert listed(client, level=SILVER) == {"Northwind"}
    assert listed(client, level=GOLD) == {"Lymphoma Only Co"}
    assert listed(client, current="yes") == {"Northwind", "Lymphoma Only Co"}
    assert listed(client, current="no") == {"Former Funder", "Not Yet"}
    html = client.get(reverse("admin:articles_sponsor_changelist")).content.decode()
    assert "By funding status" in html and "?current=no" in html
    assert "Not a current funder" in html


def test_a_superusers_funder_filters_look_at_every_hub(funders, make_editor):
    admin_client = Client()
    admin_client.force_login(make_editor("chief@example.com", is_superuser=True))

    assert listed(admin_client, level=PLATINUM) == {"Northwind", "Former Funder"}
    assert listed(admin_client, current="yes") == {
        "Northwind", "Lymphoma Only Co", "Myeloma Only Co"
    }  # fmt: skip
