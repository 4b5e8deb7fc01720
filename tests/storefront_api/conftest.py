import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from marketplace.catalogue.models import Product
from marketplace.catalogue.services import products_refresh_listing
from marketplace.channel.services import channel_ensure_default
from tests.factories import make_certification, make_outlet, make_product, make_stock, make_variant


def listed_product(*, price: int = 120_000, quantity: int = 10, **product_fields: Any) -> Product:
    """A product with a valid 4-star certificate, a priced variant in stock, listed through the gate."""
    product = make_product(**product_fields)
    make_certification(product)
    make_stock(make_variant(product, price=price), make_outlet(), quantity=quantity)
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    product.refresh_from_db()
    assert product.listing_state == "listed"
    return product


def delist(product: Product) -> None:
    """Expire its certificate in the past and let the gate delist it."""
    certification = product.current_certification
    certification.valid_until = certification.valid_from + datetime.timedelta(days=1)
    certification.save()
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    product.refresh_from_db()
    assert product.listing_state == "delisted"


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
