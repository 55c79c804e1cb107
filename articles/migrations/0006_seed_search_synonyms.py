"""Names of the medicines and terms the demo articles discuss: INN, abbreviation, brand.

Editors keep these in the admin (Search synonyms); this only gives search a start.
"""

from django.db import migrations

SYNONYMS = [
    ["CAR-T", "CAR T-cell", "chimeric antigen receptor T-cell"],
    ["cilta-cel", "ciltacabtagene autoleucel", "Carvykti"],
    ["ide-cel", "idecabtagene vicleucel", "Abecma"],
    ["axi-cel", "axicabtagene ciloleucel", "Yescarta"],
    ["liso-cel", "lisocabtagene maraleucel", "Breyanzi"],
    ["tisa-cel", "tisagenlecleucel", "Kymriah"],
    ["teclistamab", "Tecvayli"],
    ["elranatamab", "Elrexfio"],
    ["talquetamab", "Talvey"],
    ["daratumumab", "Darzalex"],
    ["isatuximab", "Sarclisa"],
    ["belantamab mafodotin", "Blenrep"],
    ["lenalidomide", "Revlimid"],
    ["pomalidomide", "Imnovid", "Pomalyst"],
    ["bortezomib", "Velcade"],
    ["CRS", "cytokine release syndrome"],
    ["ICANS", "immune effector cell-associated neurotoxicity syndrome"],
    ["MRD", "minimal residual disease", "measurable residual disease"],
]


def seed(apps, schema_editor):
    SearchSynonym = apps.get_model("articles", "SearchSynonym")
    for terms in SYNONYMS:
        SearchSynonym.objects.get_or_create(terms="\n".join(terms))


def unseed(apps, schema_editor):
    SearchSynonym = apps.get_model("articles", "SearchSynonym")
    SearchSynonym.objects.filter(terms__in=["\n".join(terms) for terms in SYNONYMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_recompute_search_text")]

    operations = [migrations.RunPython(seed, unseed)]
