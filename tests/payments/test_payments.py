"""Paying a checkout through the storefront API, Stripe's webhooks, refunds and cash, against a real localstripe."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
import uuid

import pytest
from django.test import Client
from graphql_relay import to_global_id

from marketplace.accounts.models import Role
from marketplace.catalogue.services import products_refresh_listing
from marketplace.channel.services import channel_ensure_default
from marketplace.checkout.models import Checkout
from marketplace.checkout.services import LineRequest, checkout_create, checkout_delivery_method_update
from marketplace.orders.models import ChargeStatus, Order, OrderEvent, OrderEventType, OrderStatus
from marketplace.orders.services import order_cancel, order_mark_ready_for_pickup
from marketplace.outlets.models import CollectionPointOption
from payments import stripe as stripe_gateway
from payments.checkout import checkout_complete
from payments.gateways import GatewayError
from payments.models import Gateway, StripeWebhookEvent, TransactionEvent, TransactionItem
from payments.services import order_hand_over_with_cash, order_refund, transaction_initialize
from payments.stripe.localstripe_server import register_webhook
from storefront_api.payment.resolvers import checkout_authorize_status, checkout_charge_status
from tests.factories import make_certification, make_outlet, make_product, make_stock, make_user, make_variant

pytestmark = pytest.mark.usefixtures("stripe_settings")

PRICE = 150_000
GOOD_CARD = "pm_card_visa"
DECLINED_CARD = "pm_card_chargeCustomerFail"

INITIALIZE = """
mutation Init($id: ID!, $gateway: String!, $amount: PositiveDecimal, $key: String) {
  transactionInitialize(id: $id, paymentGateway: {id: $gateway}, amount: $amount, idempotencyKey: $key) {
    transaction {
      id token pspReference name actions
      chargedAmount { amount currency } authorizedAmount { amount } chargePendingAmount { amount }
      events { type amount { amount } message }
    }
    transactionEvent { type amount { amount currency } pspReference }
    data
    errors { field code message }
  }
}
"""

PROCESS = """
mutation Process($id: ID!, $data: JSON) {
  transactionProcess(id: $id, data: $data) {
    transaction { id chargedAmount { amount } pspReference events { type } }
    transactionEvent { type message }
    data
    errors { field code message }
  }
}
"""


@pytest.fixture
def graphql(db):
    client = Client()

    def send(query: str, variables: dict) -> dict:
        response = client.post(
            "/graphql/", json.dumps({"query": query, "variables": variables}), content_type="application/json"
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    return send


def make_checkout(*, price: int = PRICE, email: str = "khach@example.vn") -> Checkout:
    """A checkout of one listed product, collected at the outlet that stocks it."""
    product = make_product()
    make_certification(product)
    outlet = make_outlet(click_and_collect_option=CollectionPointOption.LOCAL_STOCK)
    outlet.channels.add(channel_ensure_default())
    variant = make_variant(product, price=price)
    make_stock(variant, outlet, quantity=10)
    products_refresh_listing(product_ids=[product.pk], trigger="staff")
    checkout = checkout_create(
        channel=channel_ensure_default(),
        lines=[LineRequest(variant_id=variant.pk, quantity=1)],
        email=email,
        language_code="vi",
        user=None,
    )
    return checkout_delivery_method_update(checkout=checkout, outlet_id=outlet.pk)


def checkout_id(checkout: Checkout) -> str:
    return to_global_id("Checkout", str(checkout.token))


def server_view(base_url: str, path: str) -> dict:
    """What localstripe holds, read with plain HTTP rather than through our client."""
    request = urllib.request.Request(base_url + path, headers={"Authorization": "Bearer sk_test_localstripe"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def pay_by_card(graphql, checkout: Checkout, card: str = GOOD_CARD) -> dict:
    initialized = graphql(INITIALIZE, {"id": checkout_id(checkout), "gateway": Gateway.STRIPE})["transactionInitialize"]
    assert initialized["errors"] == []
    return graphql(PROCESS, {"id": initialized["transaction"]["id"], "data": {"paymentMethod": card}})[
        "transactionProcess"
    ]


# --- transactionInitialize / transactionProcess ---


def test_stripe_initialize_opens_an_intent_for_the_total_in_dong(graphql, localstripe):
    checkout = make_checkout()

    result = graphql(INITIALIZE, {"id": checkout_id(checkout), "gateway": Gateway.STRIPE, "key": "k1"})[
        "transactionInitialize"
    ]

    assert result["errors"] == []
    intent_id = result["transaction"]["pspReference"]
    client_secret = result["data"]["paymentIntent"]["stripeClientSecret"]
    assert result["data"] == {"paymentIntent": {"stripeClientSecret": client_secret}}  # Saleor's Stripe app's
    assert client_secret.startswith(intent_id)
    held = server_view(localstripe, f"/v1/payment_intents/{intent_id}")
    assert (held["amount"], held["currency"]) == (150_000, "vnd")  # not ×100: VND is zero-decimal
    assert held["receipt_email"] == "khach@example.vn"
    transaction = result["transaction"]
    assert transaction["chargedAmount"] == {"amount": 0.0, "currency": "VND"}
    assert transaction["chargePendingAmount"] == {"amount": 0.0}
    assert result["transactionEvent"] == {
        "type": "CHARGE_ACTION_REQUIRED",
        "amount": {"amount": 150_000.0, "currency": "VND"},
        "pspReference": intent_id,
    }

    again = graphql(INITIALIZE, {"id": checkout_id(checkout), "gateway": Gateway.STRIPE, "key": "k1"})[
        "transactionInitialize"
    ]
    assert again["transaction"]["id"] == transaction["id"]
    assert again["data"] == result["data"]
    assert TransactionItem.objects.filter(checkout=checkout).count() == 1


def test_a_good_card_charges_the_checkout_in_full(graphql, localstripe):
    checkout = make_checkout()
    assert checkout_charge_status(checkout, PRICE) == "NONE"

    result = pay_by_card(graphql, checkout)

    assert result["errors"] == []
    assert result["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert result["transaction"]["chargedAmount"] == {"amount": 150_000.0}
    assert result["data"] is None  # as Saleor's Stripe app answers a processed payment
    item = TransactionItem.objects.get(checkout=checkout)
    assert (item.charged_amount, item.status) == (150_000, "succeeded")
    assert checkout_charge_status(checkout, PRICE) == "FULL"
    assert checkout_authorize_status(checkout, PRICE) == "FULL"

    # Processing again (a reload of the return page) records nothing new.
    graphql(PROCESS, {"id": result["transaction"]["id"], "data": None})
    assert item.events.filter(type="charge_success").count() == 1


def test_a_declined_card_is_a_charge_failure_not_an_error(graphql):
    checkout = make_checkout()

    result = pay_by_card(graphql, checkout, card=DECLINED_CARD)

    assert result["errors"] == []
    assert result["transactionEvent"]["type"] == "CHARGE_FAILURE"
    [error] = result["data"]["paymentIntent"]["errors"]
    assert (error["code"], error["message"]) == ("StripeCardError", result["transactionEvent"]["message"])
    assert result["transaction"]["chargedAmount"] == {"amount": 0.0}
    assert checkout_charge_status(checkout, PRICE) == "NONE"


def test_cash_is_a_promise_with_nothing_charged(graphql):
    checkout = make_checkout()

    result = graphql(INITIALIZE, {"id": checkout_id(checkout), "gateway": Gateway.CASH})["transactionInitialize"]

    assert result["errors"] == []
    assert result["data"] == {}
    assert result["transactionEvent"]["type"] == "INFO"
    item = TransactionItem.objects.get(checkout=checkout)
    assert (item.gateway, item.amount_requested, item.charged_amount) == (Gateway.CASH, 150_000, 0)
    assert item.message == "Cash at pickup."
    assert checkout_charge_status(checkout, PRICE) == "NONE"


@pytest.mark.parametrize(
    ("variables", "field", "code"),
    [
        ({"gateway": "mirumee.payments.dummy"}, "paymentGateway", "NOT_FOUND"),
        ({"amount": 0}, "amount", "INVALID"),
        ({"amount": 1500.5}, "amount", "INVALID"),
    ],
)
def test_initialize_refusals(graphql, variables, field, code):
    checkout = make_checkout()

    result = graphql(INITIALIZE, {"id": checkout_id(checkout), "gateway": Gateway.STRIPE, **variables})

    assert [(e["field"], e["code"]) for e in result["transactionInitialize"]["errors"]] == [(field, code)]
    assert not TransactionItem.objects.exists()


def test_an_unknown_checkout_and_an_empty_one_are_refused(graphql):
    unknown = graphql(INITIALIZE, {"id": to_global_id("Checkout", str(uuid.uuid4())), "gateway": Gateway.STRIPE})
    assert unknown["transactionInitialize"]["errors"][0]["code"] == "NOT_FOUND"
    checkout = make_checkout()
    checkout.lines.all().delete()

    empty = graphql(INITIALIZE, {"id": checkout_id(checkout), "gateway": Gateway.STRIPE})

    assert [(e["field"], e["code"]) for e in empty["transactionInitialize"]["errors"]] == [("id", "INVALID")]


def test_stripe_down_is_a_payment_error_and_nothing_is_written(graphql, settings):
    checkout = make_checkout()
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    result = graphql(INITIALIZE, {"id": checkout_id(checkout), "gateway": Gateway.STRIPE})

    [error] = result["transactionInitialize"]["errors"]
    assert error["code"] == "PAYMENT_ERROR"
    assert "nothing was charged" in error["message"]
    assert result["transactionInitialize"]["transaction"] is None
    assert not TransactionItem.objects.exists()
    assert not TransactionEvent.objects.exists()


def test_payment_gateway_initialize_gives_the_publishable_key(graphql):
    checkout = make_checkout()

    result = graphql(
        """mutation($id: ID!) { paymentGatewayInitialize(id: $id, paymentGateways: [{id: "saleor.app.payment.stripe"},
        {id: "nope"}]) { gatewayConfigs { id data errors { code } } errors { code } } }""",
        {"id": checkout_id(checkout)},
    )["paymentGatewayInitialize"]

    assert result["errors"] == []
    assert result["gatewayConfigs"] == [
        {"id": "saleor.app.payment.stripe", "data": {"stripePublishableKey": "pk_test_localstripe"}, "errors": []},
        {"id": "nope", "data": None, "errors": [{"code": "NOT_FOUND"}]},
    ]


# --- webhooks ---


def sign(payload: bytes, *, secret: str, timestamp: int) -> str:
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def wait_until(predicate, *, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


@pytest.fixture
def live_webhook(localstripe, live_server, settings, webhook_inbox):
    """localstripe delivers payment_intent events to the live Django and, identically, to an inbox we can read.

    localstripe cannot unregister a webhook; ours are pointed at a closed port with no events afterwards."""
    names = [f"live-{uuid.uuid4().hex[:8]}", f"copy-{uuid.uuid4().hex[:8]}"]
    events = ["payment_intent.succeeded", "payment_intent.payment_failed"]
    secret = settings.STRIPE_WEBHOOK_SECRET
    register_webhook(
        localstripe, url=f"{live_server.url}/payments/stripe/webhook/", secret=secret, events=events, name=names[0]
    )
    register_webhook(localstripe, url=webhook_inbox.url, secret=secret, events=events, name=names[1])
    yield webhook_inbox
    for name in names:
        register_webhook(localstripe, url="http://127.0.0.1:9/", secret=secret, events=["none"], name=name)


@pytest.mark.django_db(transaction=True)
def test_a_webhook_from_localstripe_updates_the_transaction_once(live_webhook, live_server):
    checkout = make_checkout()
    item, _, _ = transaction_initialize(checkout=checkout, gateway_id=Gateway.STRIPE)

    # The browser pays; the marketplace hears of it only through the webhook.
    stripe_gateway.confirm_payment_intent(payment_intent_id=item.psp_reference, payment_method=GOOD_CARD)

    wait_until(lambda: TransactionItem.objects.get(pk=item.pk).charged_amount == 150_000)
    item.refresh_from_db()
    assert item.events.filter(type="charge_success").count() == 1
    delivery = live_webhook.wait_for(event_type="payment_intent.succeeded", object_id=item.psp_reference)
    assert StripeWebhookEvent.objects.filter(event_id=delivery.event["id"]).exists()

    client = Client()
    url = "/payments/stripe/webhook/"
    replayed = client.post(
        url, delivery.body, content_type="application/json", HTTP_STRIPE_SIGNATURE=delivery.headers["Stripe-Signature"]
    )
    assert replayed.status_code == 200
    assert replayed.json()["outcome"] == "duplicate"

    forged_body = delivery.body.replace(delivery.event["id"].encode(), b"evt_forged")
    forged = client.post(
        url, forged_body, content_type="application/json", HTTP_STRIPE_SIGNATURE=delivery.headers["Stripe-Signature"]
    )
    assert forged.status_code == 400
    assert client.get(url).status_code == 405

    assert not StripeWebhookEvent.objects.filter(event_id="evt_forged").exists()
    assert TransactionItem.objects.get(pk=item.pk).events.count() == item.events.count() == 2
    assert StripeWebhookEvent.objects.filter(event_id=delivery.event["id"]).count() == 1


def test_an_event_about_someone_elses_payment_is_recorded_and_acknowledged(db, settings):
    body = json.dumps(
        {
            "id": "evt_other",
            "type": "payment_intent.succeeded",
            "created": int(time.time()),
            "data": {"object": {"id": "pi_other"}},
        }
    ).encode()

    response = Client().post(
        "/payments/stripe/webhook/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, secret=settings.STRIPE_WEBHOOK_SECRET, timestamp=int(time.time())),
    )

    assert (response.status_code, response.json()["outcome"]) == (200, "unknown_reference")
    assert StripeWebhookEvent.objects.filter(event_id="evt_other").exists()


def test_a_refund_made_on_stripes_side_arrives_as_charge_refunded(graphql, localstripe, settings):
    checkout = make_checkout()
    pay_by_card(graphql, checkout)
    item = TransactionItem.objects.get(checkout=checkout)
    stripe_gateway.create_refund(payment_intent_id=item.psp_reference, amount=50_000, idempotency_key=new_key())
    charge = server_view(localstripe, f"/v1/payment_intents/{item.psp_reference}")["latest_charge"]
    body = json.dumps(
        {
            "id": f"evt_{uuid.uuid4().hex}",
            "type": "charge.refunded",
            "created": int(time.time()),
            "data": {"object": {"id": charge["id"], "object": "charge", "payment_intent": item.psp_reference}},
        }
    ).encode()

    response = Client().post(
        "/payments/stripe/webhook/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body, secret=settings.STRIPE_WEBHOOK_SECRET, timestamp=int(time.time())),
    )

    assert response.json()["outcome"] == "applied"
    item.refresh_from_db()
    assert (item.charged_amount, item.refunded_amount) == (150_000, 50_000)
    assert item.events.filter(type="refund_success", amount=50_000).count() == 1


def new_key() -> str:
    return f"test-{uuid.uuid4()}"


# --- refunds ---


def paid_order(graphql) -> Order:
    checkout = make_checkout()
    pay_by_card(graphql, checkout)
    order = checkout_complete(token=checkout.token, user=None)
    order.refresh_from_db()
    assert (order.status, order.charge_status, order.total_charged_amount) == (
        OrderStatus.UNFULFILLED,
        ChargeStatus.FULL,
        150_000,
    )
    return order


def refunds_at_stripe(localstripe: str, intent_id: str) -> list[dict]:
    return server_view(localstripe, f"/v1/refunds?payment_intent={intent_id}")["data"]


def test_canceling_a_paid_order_refunds_it_at_stripe(graphql, localstripe, django_capture_on_commit_callbacks):
    order = paid_order(graphql)
    item = order.transactions.get()

    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order=order, by_user=None, reason="buyer asked")

    assert [refund["amount"] for refund in refunds_at_stripe(localstripe, item.psp_reference)] == [150_000]
    order.refresh_from_db()
    assert (order.charge_status, order.total_refunded_amount, order.amount_due) == (ChargeStatus.NONE, 150_000, 150_000)
    assert OrderEvent.objects.filter(order=order, type=OrderEventType.PAYMENT_REFUNDED).count() == 1
    assert item.events.filter(type="refund_success", amount=150_000).count() == 1

    order_refund(order=order)  # the task again: nothing more is given back

    assert len(refunds_at_stripe(localstripe, item.psp_reference)) == 1
    assert item.events.filter(type="refund_success").count() == 1


def test_a_refund_while_stripe_is_down_is_recorded_and_retried(graphql, localstripe, settings):
    order = paid_order(graphql)
    item = order.transactions.get()
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"

    with pytest.raises(GatewayError) as raised:
        order_refund(order=order)

    assert raised.value.retryable
    assert item.events.filter(type="refund_failure").count() == 1
    order.refresh_from_db()
    assert order.total_refunded_amount == 0

    settings.STRIPE_API_BASE = localstripe
    order_refund(order=order)

    order.refresh_from_db()
    assert order.total_refunded_amount == 150_000
    assert len(refunds_at_stripe(localstripe, item.psp_reference)) == 1


# --- cash at the pickup counter ---


def cash_order_ready_for_pickup(graphql) -> tuple[Order, object]:
    checkout = make_checkout()
    graphql(INITIALIZE, {"id": checkout_id(checkout), "gateway": Gateway.CASH})
    order = checkout_complete(token=checkout.token, user=None)
    staff = make_user(Role.OUTLET_STAFF, outlet=order.collection_point)
    order = order_mark_ready_for_pickup(order=order, by_user=staff)
    return order, staff


def test_less_cash_than_due_is_refused_and_nothing_is_recorded(graphql):
    order, staff = cash_order_ready_for_pickup(graphql)
    events_before = TransactionEvent.objects.count()

    with pytest.raises(Exception) as raised:
        order_hand_over_with_cash(
            outlet=order.collection_point, code=order.pickup_code, by_user=staff, cash_amount=100_000
        )

    [detail] = raised.value.details
    assert (detail.code, detail.field) == ("CASH_AMOUNT_MISMATCH", "cashAmount")
    assert "150.000 đồng are due" in detail.message
    order.refresh_from_db()
    assert (order.status, order.total_charged_amount) == (OrderStatus.READY_FOR_PICKUP, 0)
    assert TransactionEvent.objects.count() == events_before


def test_the_right_cash_hands_the_order_over(graphql):
    order, staff = cash_order_ready_for_pickup(graphql)

    order = order_hand_over_with_cash(
        outlet=order.collection_point, code=order.pickup_code, by_user=staff, cash_amount=150_000
    )

    order.refresh_from_db()
    assert (order.status, order.charge_status, order.amount_due) == (OrderStatus.PICKED_UP, ChargeStatus.FULL, 0)
    item = order.transactions.get()
    assert (item.gateway, item.charged_amount) == (Gateway.CASH, 150_000)
    assert item.events.get(type="charge_success").created_by == staff
    assert OrderEvent.objects.filter(order=order, type=OrderEventType.CASH_RECEIVED).exists()
