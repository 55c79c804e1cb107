"""Fixtures shared by the whole suite."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and cached pages must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return "correct-horse-battery-staple-42"


@pytest.fixture
def make_user(db, password):
    """Build a reader with a verified email address, as allauth would after sign-up."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    def make(email="reader@example.com", **fields):
        user = get_user_model().objects.create_user(email=email, password=password, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def reader(make_user):
    return make_user()
