"""allauth's sign-up form, made to keep quiet about which addresses are registered.

With ACCOUNT_PREVENT_ENUMERATION, a registered address gets the same answer as a new
one, and its owner an "account already exists" email. allauth decides that once, when
it validates the form; this form also keeps it true when another sign-up takes the
address before this one saves, and makes both paths cost the same.

Not in accounts/forms.py: that module is ACCOUNT_SIGNUP_FORM_CLASS, which allauth's
forms module imports, so it cannot import allauth's forms back.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            # A new account's cost is mostly hashing its password (~0.25 s with
            # PBKDF2): pay it here too, so the answer's delay does not tell them apart.
            password = self.cleaned_data.get("password1")
            if password:
                make_password(password)
            return super().try_save(request)
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            if not self._address_taken():
                raise
        # Another sign-up registered the address after this one found it free:
        # answer as if it had been registered all along.
        self.account_already_exists = True
        return super().try_save(request)

    def _address_taken(self):
        email = self.cleaned_data.get("email")
        return bool(email) and get_user_model().objects.filter(email__iexact=email).exists()
