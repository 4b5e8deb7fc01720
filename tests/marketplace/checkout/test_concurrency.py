"""Concurrent buyers of the last units, on PostgreSQL with real transactions and row locks."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from catalog_sync.sync import run_sync
from marketplace.catalogue.models import Product
from marketplace.catalogue.services import products_refresh_listing
from marketplace.channel.services import channel_ensure_default
from marketplace.checkout.services import LineRequest, checkout_create
from marketplace.inventory.models import Stock
from marketplace.orders.models import Order
from marketplace.outlets.models import CollectionPointOption
from payments.models import Gateway, TransactionItem
from storefront_api.core.ids import global_id
from tests.catalog_sync.helpers import cert
from tests.factories import make_certification, make_outlet, make_product, make_stock, make_variant

BUYERS = 50
UNITS = 5

COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) { order { id number } errors { field code message lines } }
}"""


def _buyers_checkouts(*, units: int, buyers: int):
    channel = channel_ensure_default()
    product = make_product(name="Bưởi Tân Triều")
    make_certification(product, stars=5)
    variant = make_variant(product, price=90_000)
    outlet = make_outlet(click_and_collect_option=CollectionPointOption.LOCAL_STOCK)
    outlet.channels.add(channel)
    stock = make_stock(variant, outlet, quantity=units)
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    checkouts = []
    for n in range(buyers):
        checkout = checkout_create(
            channel=channel,
            lines=[LineRequest(variant_id=variant.pk, quantity=1)],
            email=f"buyer{n}@example.test",
            language_code="vi",
            user=None,
        )
        checkout.collection_point = outlet
        checkout.save()
        TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=90_000)
        checkouts.append(checkout)
    return stock, checkouts


def _complete_all(checkouts) -> list[dict]:
    results: list[dict] = [{}] * len(checkouts)
    start = threading.Barrier(len(checkouts))

    def buy(index: int, checkout_id: str) -> None:
        try:
            client = Client()
            start.wait()
            response = client.post(
                "/graphql/",
                json.dumps({"query": COMPLETE, "variables": {"id": checkout_id}}),
                content_type="application/json",
            )
            results[index] = response.json()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=buy, args=(index, global_id("Checkout", checkout.pk)))
        for index, checkout in enumerate(checkouts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_of_the_last_five_units_get_exactly_five_orders():
    stock, checkouts = _buyers_checkouts(units=UNITS, buyers=BUYERS)

    results = _complete_all(checkouts)

    placed = [result for result in results if result["data"]["checkoutComplete"]["order"]]
    refused = [result["data"]["checkoutComplete"]["errors"] for result in results if result not in placed]
    assert len(placed) == UNITS
    assert all([error["code"] for error in errors] == ["INSUFFICIENT_STOCK"] for errors in refused)
    assert len(refused) == BUYERS - UNITS
    assert Order.objects.count() == UNITS
    stock.refresh_from_db()
    assert (stock.quantity, stock.quantity_allocated, stock.quantity_available) == (UNITS, UNITS, 0)


@pytest.mark.django_db(transaction=True)
def test_a_registry_downgrade_between_checkout_and_completion_refuses_the_line(registry_sim):
    """The real sync, over HTTP from the registry stand-in, lands a downgrade to 2 stars mid-checkout."""
    sim = registry_sim([cert(stars=4)])
    run_sync(trigger="test")
    product = Product.objects.get(registry_id="DNP-0001")
    assert product.listing_state == "listed"
    channel = channel_ensure_default()
    variant = make_variant(product, price=90_000)
    outlet = make_outlet(click_and_collect_option=CollectionPointOption.LOCAL_STOCK)
    outlet.channels.add(channel)
    stock = make_stock(variant, outlet, quantity=3)
    checkout = checkout_create(
        channel=channel,
        lines=[LineRequest(variant_id=variant.pk, quantity=1)],
        email="a@example.test",
        language_code="en",
        user=None,
    )
    checkout.collection_point = outlet
    checkout.save()
    TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=90_000)

    sim.write([cert(stars=4), cert(revision=2, stars=2, minute=10)])
    run_sync(trigger="test")

    (result,) = _complete_all([checkout])
    errors = result["data"]["checkoutComplete"]["errors"]
    assert [(error["code"], error["field"]) for error in errors] == [("PRODUCT_NOT_PUBLISHED", "lines")]
    assert errors[0]["lines"] == [global_id("CheckoutLine", checkout.lines.get().pk)]
    assert "Bưởi Tân Triều" in errors[0]["message"]
    assert Order.objects.count() == 0
    assert Stock.objects.get(pk=stock.pk).quantity_allocated == 0
