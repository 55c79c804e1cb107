"""Create (or keep) the superuser named by DJANGO_SUPERUSER_EMAIL/PASSWORD.

Idempotent: an existing account keeps its password, and is made a verified,
active superuser so mandatory email verification never locks it out.
"""

import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create a superuser from DJANGO_SUPERUSER_EMAIL and DJANGO_SUPERUSER_PASSWORD, if set."

    @transaction.atomic
    def handle(self, *args, **options):
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "").strip().lower()
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        if not email or not password:
            self.stdout.write("DJANGO_SUPERUSER_EMAIL/PASSWORD not set: no superuser created.")
            return

        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            User.objects.create_superuser(email=email, password=password)
            self.stdout.write(self.style.SUCCESS(f"Superuser {email} created."))
        else:
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True, is_active=True)
            self.stdout.write(f"Superuser {email} already exists; password left unchanged.")
        user = User.objects.get(email__iexact=email)
        EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
        EmailAddress.objects.update_or_create(
            user=user,
            email=email,
            defaults={"verified": True, "primary": True},
        )
