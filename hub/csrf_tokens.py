"""Each reader's own CSRF token and cookie in a stored page, as Django would make them.

A stored page holds a placeholder where each form's token goes (shareable() in
hub.page_cache puts it there). On the way out every reader gets a masked token for
their own secret, in the format django.middleware.csrf.get_token makes and
CsrfViewMiddleware checks, and the CSRF cookie renewed (or new) exactly as the
middleware writes it, without Django's per-character calls to the system's random
source.
"""

import functools
import operator
import os
import re
import time

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
from django.utils.http import http_date

CSRF_PLACEHOLDER = "__hub_csrf_token_placeholder__"
CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')

# A CSRF secret or mask: CSRF_SECRET_LENGTH characters of CSRF_ALLOWED_CHARS, from
# os.urandom in one call (Django's get_token asks the system for every character,
# which costs a cached page a third of its time). Bytes past the largest multiple of
# the alphabet's size are dropped, so every character is equally likely. The mask is
# added to the secret character by character (as django.middleware.csrf._mask_cipher_secret
# does) with byte tables rather than a Python loop.
_CHARS = CSRF_ALLOWED_CHARS.encode()
_SIZE = len(_CHARS)
_USABLE = 256 - 256 % _SIZE
_TO_INDEX = bytes(byte % _SIZE if byte < _USABLE else 0 for byte in range(256))
_UNUSABLE = bytes(range(_USABLE, 256))
_CHAR_INDEX = bytes(_CHARS.index(byte) if byte in _CHARS else 0 for byte in range(256))
_INDEX_CHAR = bytes(_CHARS[number % _SIZE] for number in range(256))  # sums wrap around


def _random_indexes():
    indexes = b""
    while len(indexes) < CSRF_SECRET_LENGTH:
        indexes += os.urandom(CSRF_SECRET_LENGTH + 8).translate(_TO_INDEX, _UNUSABLE)
    return indexes[:CSRF_SECRET_LENGTH]


def _random_chars():
    return _random_indexes().translate(_INDEX_CHAR).decode()


def csrf_token(request):
    """A masked CSRF token for the request's secret, as django.middleware.csrf.get_token
    makes (the same format, checked by CsrfViewMiddleware), with a new secret and
    cookie when the reader has none."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _random_chars()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # renews the cookie, as get_token does
    mask = _random_indexes()
    secret_indexes = secret.encode().translate(_CHAR_INDEX)
    masked = bytes(map(operator.add, secret_indexes, mask)).translate(_INDEX_CHAR)
    return (mask.translate(_INDEX_CHAR) + masked).decode()


def with_token(request, content):
    """Stored content with this reader's own CSRF token in every form."""
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, csrf_token(request))
    return content


@functools.cache
def _cookie_suffix():
    """What follows the value in the CSRF cookie's Set-Cookie header, as Django writes it
    (http.cookies orders the attributes by name), with a place for the expiry date."""
    parts = []
    if settings.CSRF_COOKIE_DOMAIN:
        parts.append(f"Domain={settings.CSRF_COOKIE_DOMAIN}")
    parts.append("expires={expires}")
    if settings.CSRF_COOKIE_HTTPONLY:
        parts.append("HttpOnly")
    parts.append(f"Max-Age={settings.CSRF_COOKIE_AGE}")
    parts.append(f"Path={settings.CSRF_COOKIE_PATH}")
    if settings.CSRF_COOKIE_SAMESITE:
        parts.append(f"SameSite={settings.CSRF_COOKIE_SAMESITE}")
    if settings.CSRF_COOKIE_SECURE:
        parts.append("Secure")
    return "; " + "; ".join(parts)


@functools.lru_cache(maxsize=1)
def _cookie_attributes(second):
    """The attributes for a cookie set in this second (the expiry date changes each second)."""
    expires = http_date(second + settings.CSRF_COOKIE_AGE)
    return _cookie_suffix().format(expires=expires)


@receiver(setting_changed)
def _settings_changed(**kwargs):
    _cookie_suffix.cache_clear()
    _cookie_attributes.cache_clear()


def csrf_cookie_header(secret):
    """The CSRF cookie CsrfViewMiddleware would set for `secret` (renewing its expiry)."""
    return f"{settings.CSRF_COOKIE_NAME}={secret}" + _cookie_attributes(int(time.time()))
