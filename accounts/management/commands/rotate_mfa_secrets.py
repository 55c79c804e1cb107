"""Re-encrypt every stored two-factor secret with the current DJANGO_MFA_ENCRYPTION_KEY.

Run it after changing the key (the old one in DJANGO_MFA_ENCRYPTION_KEY_FALLBACKS); once
it reports no failures the old key may be dropped. Running it again changes nothing.
"""

from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.adapters import EncryptingMFAAdapter, UnknownMFAKey

# Where allauth keeps encrypted text: the TOTP secret, the recovery codes' seed, and
# codes carried over from older allauth versions.
ENCRYPTED_FIELDS = {
    Authenticator.Type.TOTP: ["secret"],
    Authenticator.Type.RECOVERY_CODES: ["seed", "migrated_codes"],
}


class Command(BaseCommand):
    help = "Re-encrypt stored TOTP secrets and recovery-code seeds with the current key."

    def handle(self, *args, **options):
        adapter = EncryptingMFAAdapter()
        total = rotated = 0
        failed = []
        authenticators = Authenticator.objects.filter(type__in=ENCRYPTED_FIELDS).order_by("pk")
        for pk in authenticators.values_list("pk", flat=True):
            total += 1
            with transaction.atomic():
                authenticator = Authenticator.objects.select_for_update().get(pk=pk)
                try:
                    changed = self._reencrypt(adapter, authenticator)
                except UnknownMFAKey:
                    failed.append(pk)
                    continue
                if changed:
                    authenticator.save(update_fields=["data"])
                    rotated += 1
        self.stdout.write(
            f"Re-encrypted {rotated} of {total} two-factor authenticators with the current key."
        )
        if failed:
            raise CommandError(
                f"{len(failed)} two-factor authenticators could not be decrypted with any "
                f"configured key (ids {', '.join(map(str, failed))}); they were left as they "
                "are. Add the missing key to DJANGO_MFA_ENCRYPTION_KEY_FALLBACKS and run again."
            )

    def _reencrypt(self, adapter, authenticator):
        changed = False
        for field in ENCRYPTED_FIELDS[authenticator.type]:
            value = authenticator.data.get(field)
            if value is None:
                continue
            texts = value if isinstance(value, list) else [value]
            rotated = [adapter.reencrypt(text) or text for text in texts]
            if rotated != texts:
                authenticator.data[field] = rotated if isinstance(value, list) else rotated[0]
                changed = True
        return changed
