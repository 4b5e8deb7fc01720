"""Payments under faults, against a real localstripe: Stripe unreachable, a webhook that never arrives, and a
process that dies between the charge and the order. Nothing may be lost: never money without an order, never
two orders, never a refund twice."""

from __future__ import annotations

import datetime
import re
import time
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import timezone

from bench.faults_payments import silent_address
from marketplace.checkout.models import Checkout
from marketplace.inventory.models import Stock
from marketplace.orders.models import ChargeStatus, Order, OrderStatus
from payments import stripe as stripe_gateway
from payments.checkout import checkout_complete
from payments.models import Gateway, TransactionEvent, TransactionItem
from payments.reconciliation import reconcile_payments
from payments.services import transaction_initialize, transaction_process
from payments.stripe.localstripe_server import register_webhook
from tests.payments.test_payments import PRICE, checkout_id, make_checkout, refunds_at_stripe, server_view
from tests.payments.test_storefront_gateways import COMPLETE, INITIALIZE, STRIPE, confirm_in_browser

pytestmark = pytest.mark.usefixtures("stripe_settings")

CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens there: Stripe unreachable


def later(minutes: int = 6) -> datetime.datetime:
    """A reconciliation run past the grace period (OCOP_PAYMENT_RECONCILE_AFTER_MINUTES, 5 by default)."""
    return timezone.now() + datetime.timedelta(minutes=minutes)


def paid_in_browser(localstripe: str, checkout: Checkout) -> TransactionItem:
    """The buyer's browser paid with Stripe.js; the marketplace was told nothing (no webhook, no process)."""
    item, _, data = transaction_initialize(checkout=checkout, gateway_id=Gateway.STRIPE)
    assert confirm_in_browser(localstripe, data["paymentIntent"]["stripeClientSecret"])["status"] == "succeeded"
    return item


def charges_at_stripe(localstripe: str, intent_id: str) -> int:
    intent = server_view(localstripe, f"/v1/payment_intents/{intent_id}")
    return intent["amount_received"] if intent["status"] == "succeeded" else 0


# --- Stripe unreachable ---


def test_stripe_unreachable_at_initialize_is_a_payment_error_and_the_retry_pays(api, settings, localstripe):
    checkout = make_checkout()
    settings.STRIPE_API_BASE = CLOSED_PORT
    variables = {"id": checkout_id(checkout), "gateway": {"id": STRIPE}}

    started = time.monotonic()
    refused = api(INITIALIZE, variables)["transactionInitialize"]
    seconds = time.monotonic() - started

    assert refused["transaction"] is None
    assert [(error["field"], error["code"]) for error in refused["errors"]] == [("paymentGateway", "PAYMENT_ERROR")]
    assert "nothing was charged" in refused["errors"][0]["message"]
    assert not TransactionItem.objects.exists()
    assert seconds < 10  # two retries of a refused connection, not a hung request

    settings.STRIPE_API_BASE = localstripe
    retried = api(INITIALIZE, variables)["transactionInitialize"]
    assert retried["errors"] == []
    confirm_in_browser(localstripe, retried["data"]["paymentIntent"]["stripeClientSecret"])
    completed = api(COMPLETE, {"id": checkout_id(checkout)})["checkoutComplete"]
    assert (completed["errors"], completed["order"]["chargeStatus"]) == ([], "FULL")


@pytest.fixture
def silent_stripe() -> Iterator[str]:
    """An address that never accepts a connection: Stripe behind a network that swallows packets, where only a
    connect timeout ends the wait (bench/faults_payments.py's `silent_address`)."""
    with silent_address() as address:
        yield address


def test_a_silent_stripe_fails_transaction_initialize_within_the_connect_timeouts(api, settings, silent_stripe):
    checkout = make_checkout()
    settings.STRIPE_API_BASE = silent_stripe
    settings.STRIPE_CONNECT_TIMEOUT_SECONDS = 0.5

    started = time.monotonic()
    refused = api(INITIALIZE, {"id": checkout_id(checkout), "gateway": {"id": STRIPE}})["transactionInitialize"]
    seconds = time.monotonic() - started

    assert [error["code"] for error in refused["errors"]] == ["PAYMENT_ERROR"]
    assert not TransactionItem.objects.exists()
    assert seconds < 3 * 0.5 + 4  # three tries of half a second, plus the SDK's backoff between them


def test_stripe_unreachable_at_checkout_complete_places_nothing_and_the_retry_completes(api, settings, localstripe):
    """The browser paid, the webhook is late, and Stripe is unreachable when the buyer completes: checkoutComplete
    cannot know the payment went through, so it refuses with PAYMENT_ERROR; the checkout stays as it was, and
    completing again once Stripe answers places the order, charged once."""
    checkout = make_checkout()
    item = paid_in_browser(localstripe, checkout)
    settings.STRIPE_API_BASE = CLOSED_PORT

    refused = api(COMPLETE, {"id": checkout_id(checkout)})["checkoutComplete"]

    assert refused["order"] is None
    assert [(error["field"], error["code"]) for error in refused["errors"]] == [("id", "PAYMENT_ERROR")]
    assert "no order was placed" in refused["errors"][0]["message"]
    assert not Order.objects.exists()
    assert Checkout.objects.filter(pk=checkout.pk).exists()
    item.refresh_from_db()
    assert (item.checkout_id, item.charged_amount) == (checkout.pk, 0)

    settings.STRIPE_API_BASE = localstripe
    completed = api(COMPLETE, {"id": checkout_id(checkout)})["checkoutComplete"]

    assert (completed["errors"], completed["order"]["chargeStatus"]) == ([], "FULL")
    assert Order.objects.count() == 1
    assert charges_at_stripe(localstripe, item.psp_reference) == PRICE
    assert refunds_at_stripe(localstripe, item.psp_reference) == []


def test_a_checkout_not_paid_at_all_is_still_refused_as_not_fully_paid(api, localstripe):
    checkout = make_checkout()
    transaction_initialize(checkout=checkout, gateway_id=Gateway.STRIPE)  # opened, never paid

    refused = api(COMPLETE, {"id": checkout_id(checkout)})["checkoutComplete"]

    assert [error["code"] for error in refused["errors"]] == ["CHECKOUT_NOT_FULLY_PAID"]
    assert not Order.objects.exists()


# --- a webhook that never arrives ---


@pytest.fixture
def held_webhooks(localstripe, settings, webhook_inbox):
    """localstripe's webhooks go to an inbox, not to the marketplace: they never arrive, until a test posts one."""
    name = f"held-{uuid.uuid4().hex[:8]}"
    secret = settings.STRIPE_WEBHOOK_SECRET
    events = ["payment_intent.succeeded", "payment_intent.canceled", "payment_intent.amount_capturable_updated"]
    register_webhook(localstripe, url=webhook_inbox.url, secret=secret, events=events, name=name)
    yield webhook_inbox
    register_webhook(localstripe, url=f"{CLOSED_PORT}/", secret=secret, events=["none"], name=name)


def deliver_late(delivery) -> dict:
    response = Client().post(
        "/payments/stripe/webhook/",
        delivery.body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=delivery.headers["Stripe-Signature"],
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_lost_webhook_is_settled_by_the_reconciliation_and_a_late_one_changes_nothing(db, localstripe, held_webhooks):
    checkout = make_checkout()
    item = paid_in_browser(localstripe, checkout)

    too_soon = reconcile_payments()  # the buyer may still be completing: nothing is touched yet
    assert (too_soon.read, too_soon.orders_placed) == (0, [])

    report = reconcile_payments(now=later())

    assert (report.read, report.settled, report.released, report.unreachable) == (1, 1, 0, 0)
    order = Order.objects.get()
    assert report.orders_placed == [order.number]
    assert (order.status, order.charge_status, order.total_charged_amount) == (
        OrderStatus.UNFULFILLED,
        ChargeStatus.FULL,
        PRICE,
    )
    assert order.lines.count() == 1
    assert Stock.objects.get(variant=order.lines.get().variant).quantity_allocated == 1
    item.refresh_from_db()
    assert (item.order_id, item.checkout_id) == (order.pk, None)
    events = TransactionEvent.objects.count()
    order_events = order.events.count()

    delivery = held_webhooks.wait_for(event_type="payment_intent.succeeded", object_id=item.psp_reference)
    assert deliver_late(delivery)["outcome"] in ("applied", "duplicate")
    assert deliver_late(delivery)["outcome"] == "duplicate"

    assert TransactionEvent.objects.count() == events
    assert order.events.count() == order_events
    assert Order.objects.count() == 1
    again = reconcile_payments(now=later(12))
    assert (again.settled, again.orders_placed, again.released) == (0, [], 0)


def test_an_intent_canceled_at_stripe_is_recorded_and_nothing_is_placed(db, localstripe):
    checkout = make_checkout()
    item, _, _ = transaction_initialize(checkout=checkout, gateway_id=Gateway.STRIPE)
    stripe_gateway.cancel_payment_intent(payment_intent_id=item.psp_reference)

    report = reconcile_payments(now=later())

    assert (report.settled, report.orders_placed, report.released) == (1, [], 0)
    item.refresh_from_db()
    assert (item.canceled_amount, item.charged_amount) == (PRICE, 0)
    assert item.events.filter(type="cancel_success").count() == 1
    assert not Order.objects.exists()
    assert reconcile_payments(now=later(12)).read == 0  # settled: never read again


def test_an_authorization_canceled_at_stripe_cancels_its_unconfirmed_order_and_releases_the_stock(db, localstripe):
    checkout = make_checkout()
    item, _, data = transaction_initialize(checkout=checkout, gateway_id=Gateway.STRIPE, action="authorization")
    confirm_in_browser(localstripe, data["paymentIntent"]["stripeClientSecret"])

    placed = reconcile_payments(now=later())

    order = Order.objects.get()
    assert placed.orders_placed == [order.number]
    assert (order.status, order.total_authorized_amount) == (OrderStatus.UNCONFIRMED, PRICE)
    stock = Stock.objects.get(variant=order.lines.get().variant)
    assert stock.quantity_allocated == 1

    stripe_gateway.cancel_payment_intent(payment_intent_id=item.psp_reference)  # the hold expired at Stripe
    released = reconcile_payments(now=later(12))

    assert released.orders_canceled == [order.number]
    order.refresh_from_db()
    stock.refresh_from_db()
    assert (order.status, stock.quantity_allocated) == (OrderStatus.CANCELED, 0)


# --- a crash between the charge and the order ---


class ProcessDied(Exception):
    """Stands for the process being killed: the order's database transaction never commits."""


def crash_after_the_order_is_written(monkeypatch) -> None:
    def die(**kwargs):
        raise ProcessDied

    monkeypatch.setattr("marketplace.checkout.complete._save_addresses", die)


def charged_then_crashed(localstripe: str, checkout: Checkout, monkeypatch) -> TransactionItem:
    """The page's card flow: Stripe charges (recorded by transactionProcess), then the process dies inside the
    order's transaction, after the order's rows were written and before they commit."""
    item, _, _ = transaction_initialize(checkout=checkout, gateway_id=Gateway.STRIPE)
    transaction_process(transaction=item, data={"paymentMethod": "pm_card_visa"})
    with monkeypatch.context() as patched:
        crash_after_the_order_is_written(patched)
        with pytest.raises(ProcessDied):
            checkout_complete(token=checkout.token, user=None)
    item.refresh_from_db()
    assert (item.charged_amount, item.order_id, item.checkout_id) == (PRICE, None, checkout.pk)
    assert charges_at_stripe(localstripe, item.psp_reference) == PRICE
    assert not Order.objects.exists()  # money without an order, until the reconciliation runs
    return item


def test_a_crash_between_the_charge_and_the_order_is_completed_by_the_reconciliation(db, localstripe, monkeypatch):
    checkout = make_checkout()
    item = charged_then_crashed(localstripe, checkout, monkeypatch)

    report = reconcile_payments(now=later())

    order = Order.objects.get()
    assert (report.orders_placed, report.released) == ([order.number], 0)
    assert (order.status, order.charge_status, order.checkout_token) == (
        OrderStatus.UNFULFILLED,
        ChargeStatus.FULL,
        checkout.pk,
    )
    assert Stock.objects.get(variant=order.lines.get().variant).quantity_allocated == 1
    assert list(order.transactions.values_list("pk", flat=True)) == [item.pk]
    assert not Checkout.objects.filter(pk=checkout.pk).exists()
    # The buyer's own retry, and the next runs, find the same order.
    assert checkout_complete(token=checkout.token, user=None).pk == order.pk
    assert reconcile_payments(now=later(12)).orders_placed == []
    assert Order.objects.count() == 1
    assert refunds_at_stripe(localstripe, item.psp_reference) == []


def test_a_crash_then_the_stock_gone_refunds_the_charge_in_full_once(db, localstripe, monkeypatch, settings):
    checkout = make_checkout()
    item = charged_then_crashed(localstripe, checkout, monkeypatch)
    Stock.objects.filter(variant_id__in=checkout.lines.values("variant_id")).update(quantity=0)  # sold at the counter

    settings.STRIPE_API_BASE = CLOSED_PORT
    down = reconcile_payments(now=later())

    assert (down.orders_placed, down.checkouts_refused, down.released, down.unreachable) == ([], 1, 0, 1)
    item.refresh_from_db()
    assert (item.checkout_id, item.order_id, item.refunded_amount) == (None, None, 0)  # detached, owed back

    settings.STRIPE_API_BASE = localstripe
    back = reconcile_payments(now=later(12))

    assert (back.released, back.released_amount) == (1, PRICE)
    assert [refund["amount"] for refund in refunds_at_stripe(localstripe, item.psp_reference)] == [PRICE]
    item.refresh_from_db()
    assert item.refunded_amount == item.charged_amount == PRICE
    assert not Order.objects.exists()
    assert Checkout.objects.filter(pk=checkout.pk).exists()  # the buyer may change the cart and pay again
    assert reconcile_payments(now=later(24)).released == 0
    assert len(refunds_at_stripe(localstripe, item.psp_reference)) == 1


def test_the_card_page_with_stripe_unreachable_places_nothing_and_the_retry_completes(shop, localstripe, settings):
    """The checkout page's card flow: the browser paid with Stripe.js, then the page posts back while Stripe is
    unreachable: back to the checkout with a message, no order; posting again once Stripe answers places it."""
    from tests.web.test_cart_pages import add, pickup, text

    client = Client()
    add(client, shop.coffee_variant)
    assert client.post("/checkout/", pickup(shop, payment="card"))["Location"] == "/checkout/card/"
    secret = re.search(r'data-client-secret="(pi_\w+_secret_\w+)"', text(client.get("/checkout/card/"))).group(1)
    confirm_in_browser(localstripe, secret)
    settings.STRIPE_API_BASE = CLOSED_PORT

    refused = client.post("/checkout/card/", follow=True)

    assert refused.redirect_chain[-1][0] == "/checkout/"
    assert "unavailable right now" in text(refused)
    assert not Order.objects.exists()
    assert Checkout.objects.count() == 1

    settings.STRIPE_API_BASE = localstripe
    placed = client.post("/checkout/card/")

    order = Order.objects.get()
    assert placed["Location"] == f"/orders/{order.pk}/"
    assert (order.charge_status, order.total_charged_amount) == (ChargeStatus.FULL, order.total_amount)


def test_a_checkout_that_fails_unexpectedly_is_left_as_it_was_and_settled_by_the_next_run(db, localstripe, monkeypatch):
    checkout = make_checkout()
    item = charged_then_crashed(localstripe, checkout, monkeypatch)

    def surprise(**kwargs):
        raise RuntimeError("a bug, a lost connection")

    with monkeypatch.context() as patched:
        patched.setattr("payments.reconciliation.checkout_complete_as_recorded", surprise)
        failed = reconcile_payments(now=later())

    assert (failed.errors, failed.orders_placed, failed.released) == (1, [], 0)
    item.refresh_from_db()
    assert (item.checkout_id, item.refunded_amount) == (checkout.pk, 0)
    assert reconcile_payments(now=later(12)).orders_placed == [Order.objects.get().number]
