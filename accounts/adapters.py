"""Where the Hub departs from allauth's defaults."""

import base64
import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import reverse

from common.mail import QueuedEmail


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth sends the message this returns: ours goes through the task queue."""
        return QueuedEmail.of(super().render_mail(template_prefix, email, context, headers))

    def get_signup_redirect_url(self, request):
        """Right after sign-up, offer the areas of interest."""
        return reverse("accounts:interests") + "?welcome=1"


def _fernet():
    secret = settings.HUB_MFA_ENCRYPTION_KEY or settings.SECRET_KEY
    key = hashlib.sha256(f"hub.mfa:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


class EncryptingMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are encrypted at rest; allauth would store them in clear text."""

    def encrypt(self, text):
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text):
        return _fernet().decrypt(encrypted_text.encode()).decode()
