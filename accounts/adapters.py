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
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.contrib.sites.requests import RequestSite
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from brand.mail import frame_context, sender
from brand.models import current as current_brand
from common.mail import QueuedEmail

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    # Without django.contrib.sites allauth names the site after the request's host, so
    # its emails said "Hello from 127.0.0.1:8000!". They come from the brand instead, in
    # the frame of the Hub's own emails (templates/email/), text and HTML.
    def format_email_subject(self, subject):
        """Subjects as written: the sender's name is the brand already."""
        return subject

    def get_from_email(self):
        return sender()

    def send_mail(self, template_prefix, email, context):
        request = self.request  # allauth sends these within a request only
        site = RequestSite(request)
        site.name = current_brand().name
        super().send_mail(
            template_prefix,
            email,
            {
                **frame_context(request.build_absolute_uri(reverse("home"))),
                "current_site": site,
                "login_url": request.build_absolute_uri(reverse("account_login")),
                "reset_password_url": request.build_absolute_uri(reverse("account_reset_password")),
                "link_days": account_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS,
                **context,
            },
        )

    def render_mail(self, template_prefix, email, context, headers=None):
        """allauth sends the message this returns: ours goes through the task queue."""
        return QueuedEmail.of(super().render_mail(template_prefix, email, context, headers))

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        """Greet a new log-in as the seed site did, with the way to My account.

        allauth's own "Successfully signed in as …" is a plain-text template; ours has
        a link, so it is built here as safe HTML, which the message storage keeps safe.
        """
        if message_template == "account/messages/logged_in.txt":
            message = format_html(
                _(
                    'You’re logged in! <a href="{url}">Click here any time to manage your '
                    "account or log out</a>."
                ),
                url=reverse("accounts:my_account"),
            )
            return super().add_message(request, level, message=message)
        return super().add_message(request, level, message_template, *args, **kwargs)

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


def _fernet(secret):
    key = hashlib.sha256(f"hub.mfa:{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _mfa_secrets():
    """What the keys are derived from: the current one first, then older ones to read with.

    The secret key and its fallbacks stay readable because installs without
    DJANGO_MFA_ENCRYPTION_KEY encrypted with a key derived from SECRET_KEY.
    """
    candidates = [
        settings.HUB_MFA_ENCRYPTION_KEY or settings.SECRET_KEY,
        *settings.HUB_MFA_ENCRYPTION_KEY_FALLBACKS,
        settings.SECRET_KEY,
        *settings.SECRET_KEY_FALLBACKS,
    ]
    return list(dict.fromkeys(secret for secret in candidates if secret))


def _mfa_keys():
    return MultiFernet([_fernet(secret) for secret in _mfa_secrets()])


class UnknownMFAKey(ImproperlyConfigured):
    def __init__(self):
        super().__init__(
            "A two-factor secret could not be decrypted with DJANGO_MFA_ENCRYPTION_KEY or any "
            "fallback: add the key it was encrypted with to DJANGO_MFA_ENCRYPTION_KEY_FALLBACKS "
            "(or an old DJANGO_SECRET_KEY to DJANGO_SECRET_KEY_FALLBACKS)."
        )


class EncryptingMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are encrypted at rest (allauth stores them in
    clear text), with the current key, and read with it or any fallback key.
    """

    def get_totp_issuer(self):
        """The name authenticator apps list the account under: the brand's."""
        return current_brand().name

    def encrypt(self, text):
        return _mfa_keys().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text):
        try:
            return _mfa_keys().decrypt(encrypted_text.encode()).decode()
        except InvalidToken:
            raise UnknownMFAKey() from None

    def reencrypt(self, encrypted_text):
        """The text encrypted with the current key, or None when it already is."""
        try:
            _fernet(_mfa_secrets()[0]).decrypt(encrypted_text.encode())
            return None
        except InvalidToken:
            pass
        try:
            return _mfa_keys().rotate(encrypted_text.encode()).decode()
        except InvalidToken:
            raise UnknownMFAKey() from None
