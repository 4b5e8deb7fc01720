"""bench/check_consistency.py, the check run after the load test, as a function: it passes on orders placed,
handed over and canceled through the services, and names what is wrong when stock or orders do not add up."""

from __future__ import annotations

import json

import pytest
from django.db.models import F
from django.test import Client
from graphql_relay import to_global_id

from bench.check_consistency import check_consistency, stock_baseline
from marketplace.accounts.models import Role
from marketplace.checkout.models import Checkout
from marketplace.inventory.models import Stock
from marketplace.orders.models import Order, OrderLine
from marketplace.orders.services import order_cancel, order_mark_ready_for_pickup
from payments.services import order_hand_over_with_cash
from tests.factories import make_user
from tests.payments.test_payments import make_checkout

pytestmark = pytest.mark.django_db

CASH = """
mutation($id: ID!) { transactionInitialize(id: $id, paymentGateway: {id: "ocop.payments.cash"}) {
  transaction { id } errors { code } } }"""
COMPLETE = "mutation($id: ID!) { checkoutComplete(id: $id) { order { id } errors { code } } }"


def place(client: Client, checkout: Checkout) -> Order:
    checkout_id = to_global_id("Checkout", str(checkout.token))
    for query in (CASH, COMPLETE):
        body = client.post(
            "/graphql/", json.dumps({"query": query, "variables": {"id": checkout_id}}), "application/json"
        )
        assert body.status_code == 200 and "errors" not in body.json(), body.content
    return Order.objects.get(checkout_token=checkout.token)


@pytest.fixture
def orders() -> tuple[dict, list[Order]]:
    """Three cash orders of a unit each, from three outlets stocking 10 units each, placed after the baseline."""
    checkouts = [make_checkout() for _ in range(3)]
    baseline = stock_baseline()
    client = Client()
    return baseline, [place(client, checkout) for checkout in checkouts]


def test_orders_placed_handed_over_and_canceled_add_up(orders):
    baseline, (kept, handed, canceled) = orders
    staff = make_user(Role.OUTLET_STAFF, outlet=handed.collection_point)
    ready = order_mark_ready_for_pickup(order=handed, by_user=staff)
    order_hand_over_with_cash(
        outlet=ready.collection_point, code=ready.pickup_code, by_user=staff, cash_amount=ready.total_amount
    )
    order_cancel(order=canceled, by_user=None)

    problems = check_consistency(baseline=baseline, completed=[str(order.pk) for order in (kept, handed, canceled)])

    assert problems == []
    assert Stock.objects.filter(quantity=9).count() == 1  # the handed-over unit left its shelf


def test_an_order_no_client_was_told_of_and_a_missing_one_are_named(orders):
    baseline, (first, second, _third) = orders

    problems = check_consistency(baseline=baseline, completed=[str(first.pk), str(second.pk), "0" * 32])

    assert any("1 completed checkouts have no order" in problem for problem in problems)
    assert any("1 orders no client was told of" in problem for problem in problems)


def test_stock_that_does_not_add_up_is_named(orders):
    baseline, (order, *_) = orders
    line = OrderLine.objects.filter(order=order).first()
    stock = Stock.objects.get(allocations__order_line=line)
    Stock.objects.filter(pk=stock.pk).update(quantity=F("quantity") + 1, quantity_allocated=F("quantity_allocated") + 1)

    problems = check_consistency(baseline=baseline)

    assert f"stock {stock.pk} (variant {stock.variant_id}): 2 allocated, 1 in orders" in problems
    assert f"variant {stock.variant_id}: 10 units before, 11 on the shelves and handed over now" in problems
