"""Who readers are, as coded lists: professions and specialties.

The core owns them so that every app can use the same codes: accounts stores them on
the reader's profile, quizzes copies them onto each attempt to break results down.
"""

import re
import unicodedata

from django.db import models
from django.utils.translation import gettext_lazy as _


class Profession(models.TextChoices):
    PHYSICIAN = "physician", _("Physician")
    NURSE = "nurse", _("Nurse or nurse practitioner")
    PHARMACIST = "pharmacist", _("Pharmacist")
    RESEARCHER = "researcher", _("Researcher or scientist")
    STUDENT = "student", _("Medical student or trainee")
    OTHER = "other", _("Other healthcare professional")


class Specialty(models.TextChoices):
    HAEMATOLOGY = "haematology", _("Haematology")
    HAEMATO_ONCOLOGY = "haemato-oncology", _("Haemato-oncology")
    ONCOLOGY = "oncology", _("Medical oncology")
    TRANSPLANTATION = "transplantation", _("Stem cell transplantation and cell therapy")
    PAEDIATRICS = "paediatric-haematology", _("Paediatric haematology and oncology")
    INTERNAL_MEDICINE = "internal-medicine", _("Internal medicine")
    GENERAL_PRACTICE = "general-practice", _("General practice or family medicine")
    LABORATORY = "laboratory", _("Laboratory medicine or pathology")
    PHARMACY = "pharmacy", _("Pharmacy")
    NURSING = "nursing", _("Nursing")
    RESEARCH = "research", _("Research")
    OTHER = "other", _("Other specialty")


# Free text as readers typed it before the list existed, first matching rule wins.
_RULES = [
    (r"(paediatric|pediatric|child)", Specialty.PAEDIATRICS),
    (r"(transplant|cell therap|\bbmt\b|\bsct\b)", Specialty.TRANSPLANTATION),
    (r"haem.*onc|onc.*haem|\bhaem ?onc", Specialty.HAEMATO_ONCOLOGY),
    (r"haem", Specialty.HAEMATOLOGY),
    (r"onc", Specialty.ONCOLOGY),
    (r"(internal|general medicine)", Specialty.INTERNAL_MEDICINE),
    (r"(general pract|family|\bgp\b|primary care)", Specialty.GENERAL_PRACTICE),
    (r"(patholog|laborator|\blab\b)", Specialty.LABORATORY),
    (r"pharm", Specialty.PHARMACY),
    (r"nurs", Specialty.NURSING),
    (r"(research|scien)", Specialty.RESEARCH),
]


def specialty_code(text):
    """The code for a specialty typed as free text (or already a code); blank stays blank."""
    text = (text or "").strip()
    if not text or text in Specialty.values:
        return text
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"\bhema", "haema", plain)  # American spelling
    plain = re.sub(r"\bhemato", "haemato", plain)
    for pattern, code in _RULES:
        if re.search(pattern, plain):
            return code.value
    return Specialty.OTHER.value
