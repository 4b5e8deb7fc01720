"""Fixtures of the checkout tests, shared with the pages' tests (registered in tests/conftest.py).

`shop`: a small shop to buy from: two producers' listed products, a tourist-site outlet collecting from its own
stock, a showroom collecting from any warehouse, a producer's warehouse, and a delivery zone."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from marketplace.catalogue.models import Product, ProductVariant
from marketplace.catalogue.services import products_refresh_listing
from marketplace.channel.services import channel_ensure_default
from marketplace.outlets.models import CollectionPointOption, OutletKind
from marketplace.shipping.models import ShippingMethod, ShippingZone
from tests.factories import make_certification, make_outlet, make_producer, make_product, make_stock, make_variant
from tests.marketplace.checkout.helpers import Shop


def _listed(name: str, producer, price: int) -> tuple[Product, ProductVariant]:
    product = make_product(producer=producer, name=name)
    make_certification(product, stars=4)
    variant = make_variant(product, price=price)
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    product.refresh_from_db()
    assert product.listing_state == "listed"
    return product, variant


@pytest.fixture
def shop(db) -> Shop:
    channel = channel_ensure_default()
    coffee, coffee_variant = _listed("Cà phê hạt Robusta", make_producer(name="HTX Cà phê Xuân Lộc"), 150_000)
    producer_b = make_producer(name="HTX Điều Bình Phước")
    cashew, cashew_variant = _listed("Hạt điều rang muối", producer_b, 220_000)
    tourist_site = make_outlet(
        name="Khu du lịch Bửu Long",
        kind=OutletKind.TOURIST_SITE,
        click_and_collect_option=CollectionPointOption.LOCAL_STOCK,
        hold_days=3,
    )
    showroom = make_outlet(
        name="Trung tâm OCOP Biên Hòa",
        kind=OutletKind.SHOWROOM,
        click_and_collect_option=CollectionPointOption.ALL_WAREHOUSES,
    )
    warehouse = make_outlet(
        name="Kho HTX Điều",
        kind=OutletKind.PRODUCER_WAREHOUSE,
        producer=producer_b,
        click_and_collect_option=CollectionPointOption.DISABLED,
    )
    for outlet in (tourist_site, showroom, warehouse):
        outlet.channels.add(channel)
    make_stock(coffee_variant, tourist_site, quantity=10)
    make_stock(cashew_variant, tourist_site, quantity=10)
    make_stock(coffee_variant, showroom, quantity=5)
    make_stock(cashew_variant, warehouse, quantity=30)
    zone = ShippingZone.objects.create(name="Đồng Nai", provinces=["75"])
    zone.channels.add(channel)
    standard = ShippingMethod.objects.create(
        zone=zone, name="Giao tiêu chuẩn", name_en="Standard delivery", price_amount=30_000, maximum_delivery_days=3
    )
    express = ShippingMethod.objects.create(
        zone=zone,
        name="Giao nhanh",
        name_en="Express",
        price_amount=60_000,
        maximum_delivery_days=1,
        minimum_order_amount=1_000_000,
    )
    return Shop(
        channel, coffee, cashew, coffee_variant, cashew_variant, tourist_site, showroom, warehouse, standard, express
    )


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
