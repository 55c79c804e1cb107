"""Where the Hub departs from allauth's defaults."""

import base64
import hashlib
import ipaddress
import logging
import time

from allauth import app_settings as allauth_settings
from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.sites.requests import RequestSite
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    # Without django.contrib.sites allauth names the site after the request's host, so
    # its emails said "Hello from 127.0.0.1:8000!". They speak in the Hub's name instead.
    def format_email_subject(self, subject):
        return f"[{settings.HUB_SITE_NAME}] {subject}"

    def send_mail(self, template_prefix, email, context):
        site = RequestSite(self.request) if self.request is not None else None
        if site is not None:
            site.name = settings.HUB_SITE_NAME
            context = {"current_site": site, **context}
        super().send_mail(template_prefix, email, context)

    def get_signup_redirect_url(self, request):
        """Right after sign-up, offer the areas of interest."""
        return reverse("accounts:interests") + "?welcome=1"

    def get_client_ip(self, request):
        """The visitor's address, by ALLAUTH_TRUSTED_PROXY_COUNT / _CLIENT_IP_HEADER.

        allauth answers a 500 when X-Forwarded-For holds fewer addresses than the
        trusted proxy count (the request skipped some of our proxies). Then the address
        the nearest proxy saw, the header's last, is the best one there is.
        """
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            forwarded = request.headers.get("X-Forwarded-For", "")
            logger.warning(
                "X-Forwarded-For %r is shorter than the trusted proxy count %d: "
                "check DJANGO_TRUSTED_PROXY_COUNT.",
                forwarded,
                allauth_settings.TRUSTED_PROXY_COUNT,
            )
            try:
                return str(ipaddress.ip_address(forwarded.split(",")[-1].strip()))
            except ValueError:
                raise PermissionDenied("Unable to determine client IP address") from None

    def is_reauthentication_required(self, *, app, **kwargs):
        """A password log-in moments ago is proof enough for setting up two-factor.

        allauth 65.21 counts only explicit re-authentications as recent, so an editor
        sent from the log-in straight to the authenticator set-up was asked for the
        password a second time, and again before seeing the recovery codes.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        if required and app == "allauth.mfa":
            return not self._logged_in_with_password_recently()
        return required

    def _logged_in_with_password_recently(self):
        request = self.request
        if request is None or not request.user.is_authenticated:
            return False
        cutoff = time.time() - account_settings.REAUTHENTICATION_TIMEOUT
        return any(
            record.get("method") == "password" and record.get("at", 0) > cutoff
            for record in get_authentication_records(request, request.user)
        )


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
