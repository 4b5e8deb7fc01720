"""Fixtures of the checkout tests, shared with the pages' tests (registered in tests/conftest.py).

`shop`: a small shop to buy from: two producers' listed products, a tourist-site outlet collecting from its own
stock, a showroom collecting from any warehouse, a producer's warehouse, and a delivery zone."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from tests.marketplace.checkout.helpers import Shop, make_shop


@pytest.fixture
def shop(db) -> Shop:
    return make_shop()


@pytest.fixture
def api(db) -> Callable[..., dict]:
    """POST to /graphql/, anonymously or with `token=` (a JWT access token); returns the decoded JSON."""
    client = Client()

    def send(query: str, variables: dict | None = None, *, token: str | None = None) -> dict:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        response = client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    return send
