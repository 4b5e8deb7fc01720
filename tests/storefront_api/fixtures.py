"""Fixtures of the storefront API's tests, shared with other packages' tests (registered in tests/conftest.py)."""

import json
from collections.abc import Callable

import pytest
from django.test import Client

from marketplace.channel.services import channel_ensure_default


@pytest.fixture
def channel(db):
    return channel_ensure_default()


@pytest.fixture
def graphql(db, channel) -> Callable[..., dict]:
    """POST a query to /graphql/ as an anonymous shopper; returns the decoded JSON (status checked)."""
    client = Client()

    def send(query: str, variables: dict | None = None, *, status: int = 200) -> dict:
        response = client.post(
            "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
        )
        assert response.status_code == status, response.content
        return response.json()

    return send
