"""Fixtures for the quiz tests."""

import pytest


@pytest.fixture
def reader_client(client, reader):
    """A logged-in reader's browser."""
    client.force_login(reader)
    return client


@pytest.fixture
def editor_client(client, make_editor):
    """A superuser editor's browser, for the outcomes report."""
    client.force_login(make_editor(is_superuser=True))
    return client
