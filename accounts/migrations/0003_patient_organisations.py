"""Start the gate with a few patient organisations; editors change them in the admin."""

from django.db import migrations

ORGANISATIONS = [
    (
        "International Myeloma Foundation",
        "https://www.myeloma.org/",
        "Information and support for people living with myeloma and their carers.",
    ),
    (
        "HealthTree for Multiple Myeloma",
        "https://healthtree.org/myeloma",
        "Patient-friendly education and tools to follow your own myeloma journey.",
    ),
    (
        "Myeloma UK",
        "https://www.myeloma.org.uk/",
        "Guides, an information line and support services in the United Kingdom.",
    ),
    (
        "Blood Cancer UK",
        "https://bloodcancer.org.uk/",
        "Support and information for anyone affected by blood cancer.",
    ),
]


def add(apps, schema_editor):
    PatientOrganisation = apps.get_model("accounts", "PatientOrganisation")
    for order, (name, url, description) in enumerate(ORGANISATIONS):
        PatientOrganisation.objects.get_or_create(
            name=name, defaults={"url": url, "description": description, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_hcp_profile_bookmarks_gate")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
