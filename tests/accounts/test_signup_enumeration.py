"""Sign-up never tells whether an address is registered: not by its answer, not by its cost.

With ACCOUNT_PREVENT_ENUMERATION, a sign-up with a registered address answers as a new
one does ("we sent you an email") and mails the owner instead. That holds when another
sign-up registers the address while this one is under way, and the registered path
does the same expensive work (hashing the password) as the new one.
"""

import re
import threading
from contextlib import contextmanager
from unittest import mock

import pytest
from allauth.account.forms import BaseSignupForm
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.db import connection
from django.urls import reverse

from tests.accounts.test_signup import signup_data
from tests.conftest import Client, declare_hcp

pytestmark = pytest.mark.django_db
User = get_user_model()
EMAIL = "new.doctor@example.org"


def register(email):
    """Another visitor's sign-up: a user with an unverified address."""
    user = User.objects.create_user(email=email, password="someone-else's-passphrase")
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user


@contextmanager
def registered_meanwhile():
    """Another sign-up takes the address just after this one found it free."""
    check = BaseSignupForm.validate_unique_email

    def check_then_lose_the_race(form, value):
        email = check(form, value)
        register(email)
        return email

    with mock.patch.object(BaseSignupForm, "validate_unique_email", check_then_lose_the_race):
        yield


def what_the_visitor_sees(client, response, email):
    """The answer and the page it leads to, less the address and the CSRF token."""
    page = client.get(response["Location"]).content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return {
        "status": response.status_code,
        "location": response["Location"],
        "page": page.replace(email, "EMAIL"),
        "emails": [(m.subject, m.to == [email]) for m in mail.outbox],
    }


def test_a_registered_address_gets_the_new_account_answer_and_the_owner_an_email(client):
    register(EMAIL)

    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email=EMAIL).count() == 1
    assert [(m.subject, m.to) for m in mail.outbox] == [("You already have an account", [EMAIL])]


def test_losing_a_race_for_an_address_answers_as_if_it_had_been_registered_before(client):
    register("other@example.org")
    response = client.post(reverse("account_signup"), signup_data(email="other@example.org"))
    registered_before = what_the_visitor_sees(client, response, "other@example.org")
    mail.outbox.clear()
    racer = declare_hcp(Client())

    with registered_meanwhile():
        response = racer.post(reverse("account_signup"), signup_data())

    assert what_the_visitor_sees(racer, response, EMAIL) == registered_before
    assert registered_before["emails"] == [("You already have an account", True)]
    assert "Confirmation email sent to EMAIL." in registered_before["page"]
    assert User.objects.filter(email=EMAIL).count() == 1
    assert not User.objects.filter(full_name="Dr New Doctor").exists()


@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers")
@pytest.mark.django_db(transaction=True)
def test_two_sign_ups_at_once_with_one_address_make_one_account_and_no_error():
    both_checked = threading.Barrier(2, timeout=10)
    check = BaseSignupForm.validate_unique_email

    def check_then_wait_for_the_other(form, value):
        email = check(form, value)
        both_checked.wait()  # both found the address free; now both save
        return email

    responses, errors = [], []

    def sign_up():
        try:
            responses.append(declare_hcp(Client()).post(reverse("account_signup"), signup_data()))
        except Exception as error:  # re-raised by the client: the visitor would see a 500
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(BaseSignupForm, "validate_unique_email", check_then_wait_for_the_other):
        threads = [threading.Thread(target=sign_up) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert [(r.status_code, r["Location"]) for r in responses] == [
        (302, reverse("account_email_verification_sent"))
    ] * 2
    assert User.objects.filter(email=EMAIL).count() == 1


@contextmanager
def counting_password_hashes():
    calls = []
    encode = MD5PasswordHasher.encode

    def counted(hasher, password, salt):
        calls.append(password)
        return encode(hasher, password, salt)

    with mock.patch.object(MD5PasswordHasher, "encode", counted):
        yield calls


def test_a_new_address_costs_one_password_hash(client):
    with counting_password_hashes() as hashed:
        client.post(reverse("account_signup"), signup_data())

    assert hashed == ["a-long-and-unusual-passphrase"]
    assert User.objects.filter(email=EMAIL).exists()


def test_a_registered_address_costs_one_password_hash_too(client):
    register(EMAIL)

    with counting_password_hashes() as hashed:
        client.post(reverse("account_signup"), signup_data())

    assert hashed == ["a-long-and-unusual-passphrase"]
    assert [m.subject for m in mail.outbox] == ["You already have an account"]


def test_losing_the_race_costs_one_password_hash(client):
    with counting_password_hashes() as hashed, registered_meanwhile():
        client.post(reverse("account_signup"), signup_data())

    # register() hashed the winner's password; the loser hashed its own once.
    assert hashed == ["someone-else's-passphrase", "a-long-and-unusual-passphrase"]
