"""Two-factor secrets survive a change of key: fallbacks read, the command re-encrypts."""

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.accounts.test_two_factor import current_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_with_totp(make_user):
    """An editor whose TOTP secret (and recovery codes) are encrypted under the key of the day."""

    def make(email="editor@example.com"):
        editor = make_user(email, is_staff=True)
        secret = generate_totp_secret()
        TOTP.activate(editor, secret)
        RecoveryCodes.activate(editor)
        return editor, secret

    return make


def logs_in_with_code(client, user, password, secret):
    client.post(reverse("account_login"), {"login": user.email, "password": password})
    client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    return client.session.get("_auth_user_id") == str(user.pk)


def stored(user):
    return {a.type: dict(a.data) for a in Authenticator.objects.filter(user=user)}


def recovery_codes(user):
    return RecoveryCodes(
        Authenticator.objects.get(user=user, type="recovery_codes")
    ).generate_codes()


def test_a_new_key_with_the_old_one_in_fallbacks_still_verifies(
    client, settings, editor_with_totp, password
):
    settings.HUB_MFA_ENCRYPTION_KEY = "the-old-key"
    editor, secret = editor_with_totp()

    settings.HUB_MFA_ENCRYPTION_KEY = "the-new-key"
    settings.HUB_MFA_ENCRYPTION_KEY_FALLBACKS = ["the-old-key"]

    assert logs_in_with_code(client, editor, password, secret)


def test_rotating_the_secret_key_keeps_two_factor_working(
    client, settings, editor_with_totp, password
):
    # An install that never set DJANGO_MFA_ENCRYPTION_KEY: the key came from SECRET_KEY.
    settings.HUB_MFA_ENCRYPTION_KEY = ""
    settings.SECRET_KEY = "the-old-secret-key-" + "x" * 40
    editor, secret = editor_with_totp()

    settings.SECRET_KEY = "the-new-secret-key-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = ["the-old-secret-key-" + "x" * 40]

    assert logs_in_with_code(client, editor, password, secret)


def test_setting_an_encryption_key_keeps_secrets_made_under_the_secret_key(
    client, settings, editor_with_totp, password
):
    settings.HUB_MFA_ENCRYPTION_KEY = ""
    editor, secret = editor_with_totp()

    settings.HUB_MFA_ENCRYPTION_KEY = "a-key-of-its-own"

    assert logs_in_with_code(client, editor, password, secret)


def test_rotate_mfa_secrets_re_encrypts_everything_with_the_current_key(
    client, settings, editor_with_totp, password, capsys
):
    settings.HUB_MFA_ENCRYPTION_KEY = "the-old-key"
    editor, secret = editor_with_totp()
    other, _ = editor_with_totp("other@example.com")
    settings.HUB_MFA_ENCRYPTION_KEY = "the-new-key"
    settings.HUB_MFA_ENCRYPTION_KEY_FALLBACKS = ["the-old-key"]
    before = stored(editor)
    codes_before = recovery_codes(other)

    call_command("rotate_mfa_secrets")

    assert "Re-encrypted 4 of 4 two-factor authenticators" in capsys.readouterr().out
    after = stored(editor)
    assert after["totp"]["secret"] != before["totp"]["secret"]
    assert after["recovery_codes"]["seed"] != before["recovery_codes"]["seed"]
    # The old key can go now.
    settings.HUB_MFA_ENCRYPTION_KEY_FALLBACKS = []
    assert logs_in_with_code(client, editor, password, secret)
    assert recovery_codes(other) == codes_before

    call_command("rotate_mfa_secrets")

    assert "Re-encrypted 0 of 4 two-factor authenticators" in capsys.readouterr().out
    assert stored(editor) == after


def test_a_secret_under_an_unknown_key_fails_loudly(settings, editor_with_totp):
    settings.HUB_MFA_ENCRYPTION_KEY = "a-lost-key"
    editor, _ = editor_with_totp()
    settings.HUB_MFA_ENCRYPTION_KEY = "the-new-key"
    encrypted = stored(editor)["totp"]["secret"]

    with pytest.raises(ImproperlyConfigured, match="DJANGO_MFA_ENCRYPTION_KEY_FALLBACKS"):
        get_adapter().decrypt(encrypted)
    with pytest.raises(CommandError, match="2 two-factor authenticators could not be decrypted"):
        call_command("rotate_mfa_secrets")
    assert stored(editor)["totp"]["secret"] == encrypted
