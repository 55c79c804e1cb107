"""Fixtures for the quiz tests."""

import pytest


@pytest.fixture
def reader_client(client, reader):
    """A logged-in reader's browser."""
    client.force_login(reader)
    return client
