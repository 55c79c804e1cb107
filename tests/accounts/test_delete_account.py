"""Deleting an account: the password (and the authenticator code) cannot be guessed there."""

import time
from unittest import mock

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.accounts.test_two_factor import current_code

pytestmark = pytest.mark.django_db
User = get_user_model()
URL = reverse("accounts:delete_account")
TOO_MANY = "Too many attempts. Try again later."


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, reader, password):
    client.force_login(reader)
    for _ in range(5):
        wrong = client.post(URL, {"password": "guess", "confirm": "on"})
        assert "That is not your password." in wrong.content.decode()

    response = client.post(URL, {"password": password, "confirm": "on"})

    assert response.status_code == 200
    page = response.content.decode()
    assert TOO_MANY in page
    assert "That is not your password." not in page
    assert User.objects.filter(pk=reader.pk).exists()


def test_four_wrong_passwords_leave_the_fifth_try(client, reader, password):
    client.force_login(reader)
    for _ in range(4):
        client.post(URL, {"password": "guess", "confirm": "on"})

    response = client.post(URL, {"password": password, "confirm": "on"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=reader.pk).exists()


def test_the_limit_lifts_after_fifteen_minutes(client, reader, password):
    client.force_login(reader)
    for _ in range(5):
        client.post(URL, {"password": "guess", "confirm": "on"})

    with mock.patch("time.time", return_value=time.time() + 15 * 60 + 1):
        response = client.post(URL, {"password": password, "confirm": "on"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=reader.pk).exists()


def test_one_readers_guesses_do_not_lock_out_another(client, make_user, password):
    mallory, ada = make_user("mallory@example.com"), make_user("ada@example.com")
    client.force_login(mallory)
    for _ in range(5):
        client.post(URL, {"password": "guess", "confirm": "on"})
    client.force_login(ada)

    response = client.post(URL, {"password": password, "confirm": "on"})

    assert response.status_code == 302
    assert not User.objects.filter(email="ada@example.com").exists()


def test_twenty_wrong_passwords_from_one_address_lock_that_address(client, make_user, password):
    for n in range(5):
        client.force_login(make_user(f"reader{n}@example.com"))
        for _ in range(4):
            client.post(URL, {"password": "guess", "confirm": "on"}, REMOTE_ADDR="203.0.113.9")
    client.force_login(make_user("next@example.com"))

    blocked = client.post(URL, {"password": password, "confirm": "on"}, REMOTE_ADDR="203.0.113.9")
    elsewhere = client.post(
        URL, {"password": password, "confirm": "on"}, REMOTE_ADDR="198.51.100.7"
    )

    assert TOO_MANY in blocked.content.decode()
    assert elsewhere.status_code == 302
    assert not User.objects.filter(email="next@example.com").exists()


def test_a_missing_password_is_not_counted(client, reader, password):
    client.force_login(reader)
    for _ in range(6):
        client.post(URL, {"password": "", "confirm": "on"})

    response = client.post(URL, {"password": password, "confirm": "on"})

    assert response.status_code == 302


@pytest.fixture
def secret(reader):
    secret = generate_totp_secret()
    TOTP.activate(reader, secret)
    return secret


def test_with_two_factor_the_page_asks_for_a_code(client, reader, secret):
    client.force_login(reader)

    page = client.get(URL).content.decode()

    assert "enter your password and a code from your authenticator app." in page
    assert '<label for="id_code">Authenticator code:</label>' in page
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    assert 'aria-describedby="id_code_helptext"' in page
    assert page.index('name="password"') < page.index('name="code"') < page.index('name="confirm"')


def test_without_two_factor_there_is_no_code_to_give(client, reader):
    client.force_login(reader)

    page = client.get(URL).content.decode()

    assert "To confirm, enter your password." in page
    assert 'name="code"' not in page


def test_with_two_factor_the_password_alone_is_not_enough(client, reader, secret, password):
    client.force_login(reader)

    missing = client.post(URL, {"password": password, "confirm": "on"})
    wrong = client.post(URL, {"password": password, "confirm": "on", "code": "000000"})

    assert "This field is required." in missing.content.decode()
    assert "Incorrect code." in wrong.content.decode()
    assert User.objects.filter(pk=reader.pk).exists()


def test_with_two_factor_a_current_code_deletes_the_account(client, reader, secret, password):
    client.force_login(reader)

    response = client.post(
        URL, {"password": password, "confirm": "on", "code": current_code(secret)}
    )

    assert response.status_code == 302
    assert not User.objects.filter(pk=reader.pk).exists()


def test_a_recovery_code_will_do_instead(client, reader, secret, password):
    recovery_code = RecoveryCodes.activate(reader).generate_codes()[0]
    client.force_login(reader)

    response = client.post(URL, {"password": password, "confirm": "on", "code": recovery_code})

    assert response.status_code == 302
    assert not User.objects.filter(pk=reader.pk).exists()


def test_wrong_codes_count_towards_the_limit(client, reader, secret, password):
    client.force_login(reader)
    for _ in range(5):
        client.post(URL, {"password": password, "confirm": "on", "code": "000000"})

    response = client.post(
        URL, {"password": password, "confirm": "on", "code": current_code(secret)}
    )

    assert TOO_MANY in response.content.decode()
    assert User.objects.filter(pk=reader.pk).exists()


def test_a_wrong_password_does_not_use_up_a_recovery_code(client, reader, secret, password):
    codes = RecoveryCodes.activate(reader).generate_codes()
    client.force_login(reader)

    client.post(URL, {"password": "guess", "confirm": "on", "code": codes[0]})

    assert RecoveryCodes.activate(reader).get_unused_codes() == codes
