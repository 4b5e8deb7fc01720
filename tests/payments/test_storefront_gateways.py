"""The gateways as Saleor's storefront knows them: Stripe under Saleor's Stripe app's id and data shapes, and the
test gateway under the Dummy Payment app's id, which only a setting that production refuses turns on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from graphql_relay import to_global_id

from marketplace.checkout.models import Checkout
from marketplace.orders.models import ChargeStatus, Order, PaymentMethod
from payments.models import Gateway, TransactionEvent, TransactionItem
from payments.services import order_refund
from tests.payments.test_payments import PRICE, make_checkout

pytestmark = pytest.mark.usefixtures("stripe_settings")

STRIPE = "saleor.app.payment.stripe"
DUMMY = "saleor.io.dummy-payment-app"

GATEWAYS = """
query($id: ID!) { checkout(id: $id) { availablePaymentGateways { id name currencies } } }
"""

GATEWAYS_INITIALIZE = """
mutation($id: ID!, $gateways: [PaymentGatewayToInitialize!]) {
  paymentGatewayInitialize(id: $id, paymentGateways: $gateways) {
    gatewayConfigs { id data errors { field code message } }
    errors { field code message }
  }
}
"""

INITIALIZE = """
mutation($id: ID!, $gateway: PaymentGatewayToInitialize!, $amount: PositiveDecimal) {
  transactionInitialize(id: $id, paymentGateway: $gateway, amount: $amount) {
    transaction { id name actions pspReference chargedAmount { amount } }
    transactionEvent { type message }
    data
    errors { field code message }
  }
}
"""

PROCESS = """
mutation($id: ID!, $data: JSON) {
  transactionProcess(id: $id, data: $data) {
    transaction { id actions chargedAmount { amount } }
    transactionEvent { type message }
    data
    errors { field code message }
  }
}
"""

STATUS = "query($id: ID!) { checkout(id: $id) { chargeStatus authorizeStatus } }"

COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(id: $id) {
    order { id isPaid chargeStatus paymentMethod total { gross { amount } } }
    errors { field code message }
  }
}
"""


@pytest.fixture
def dummy_payments(settings):
    settings.OCOP_DUMMY_PAYMENTS = True


def checkout_id(checkout: Checkout) -> str:
    return to_global_id("Checkout", str(checkout.token))


def confirm_in_browser(base_url: str, client_secret: str, payment_method: str = "pm_card_visa") -> dict:
    """What Stripe.js does with the client secret in the buyer's browser: confirm the intent at Stripe."""
    intent_id = client_secret.split("_secret_")[0]
    body = urllib.parse.urlencode({"payment_method": payment_method}).encode()
    request = urllib.request.Request(
        f"{base_url}/v1/payment_intents/{intent_id}/confirm",
        data=body,
        headers={"Authorization": f"Bearer {django_settings.STRIPE_SECRET_KEY}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


# --- Stripe, as Saleor's Stripe app ---


def test_the_storefront_finds_stripe_by_the_stripe_apps_id_and_gets_its_publishable_key(api):
    checkout = make_checkout()

    gateways = api(GATEWAYS, {"id": checkout_id(checkout)})["checkout"]["availablePaymentGateways"]
    configs = api(GATEWAYS_INITIALIZE, {"id": checkout_id(checkout), "gateways": [{"id": STRIPE}]})

    assert {"id": STRIPE, "name": "Stripe", "currencies": ["VND"]} in gateways
    assert DUMMY not in [gateway["id"] for gateway in gateways]  # off unless OCOP_DUMMY_PAYMENTS
    assert configs["paymentGatewayInitialize"] == {
        "gatewayConfigs": [{"id": STRIPE, "data": {"stripePublishableKey": "pk_test_localstripe"}, "errors": []}],
        "errors": [],
    }


def test_the_storefronts_stripe_journey_pays_and_completes(api, localstripe):
    """transactionInitialize with the payment method, Stripe.js confirms with the client secret, then
    transactionProcess without data records the charge, and checkoutComplete places the order."""
    checkout = make_checkout()

    started = api(
        INITIALIZE,
        {
            "id": checkout_id(checkout),
            "gateway": {"id": STRIPE, "data": {"paymentIntent": {"paymentMethod": "card"}}},
            "amount": PRICE,
        },
    )["transactionInitialize"]
    client_secret = started["data"]["paymentIntent"]["stripeClientSecret"]
    confirmed = confirm_in_browser(localstripe, client_secret)
    processed = api(PROCESS, {"id": started["transaction"]["id"]})["transactionProcess"]
    status = api(STATUS, {"id": checkout_id(checkout)})["checkout"]
    completed = api(COMPLETE, {"id": checkout_id(checkout)})["checkoutComplete"]

    assert started["errors"] == []
    assert started["transactionEvent"]["type"] == "CHARGE_ACTION_REQUIRED"
    assert started["data"] == {"paymentIntent": {"stripeClientSecret": client_secret}}
    assert confirmed["status"] == "succeeded"
    assert processed["errors"] == []
    assert processed["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert processed["data"] is None
    assert processed["transaction"]["chargedAmount"] == {"amount": PRICE}
    assert status == {"chargeStatus": "FULL", "authorizeStatus": "FULL"}
    assert completed["errors"] == []
    assert (completed["order"]["isPaid"], completed["order"]["chargeStatus"]) == (True, "FULL")
    assert TransactionItem.objects.get(psp_reference=started["transaction"]["pspReference"]).gateway == STRIPE


def test_stripe_refuses_a_payment_method_other_than_cards_and_writes_nothing(api):
    checkout = make_checkout()

    result = api(
        INITIALIZE,
        {
            "id": checkout_id(checkout),
            "gateway": {"id": STRIPE, "data": {"paymentIntent": {"paymentMethod": "klarna"}}},
        },
    )["transactionInitialize"]

    [error] = result["errors"]
    assert (error["field"], error["code"]) == ("paymentGateway", "PAYMENT_ERROR")
    assert "klarna" in error["message"]
    assert result["transaction"] is None
    assert not TransactionItem.objects.exists()


# --- the test gateway, as Saleor's Dummy Payment app ---


def test_the_dummy_gateway_is_offered_only_when_test_payments_are_on(api, settings):
    checkout = make_checkout()
    dummy_charge = {"id": DUMMY, "data": {"event": {"includePspReference": True, "type": "CHARGE_SUCCESS"}}}

    refused = api(INITIALIZE, {"id": checkout_id(checkout), "gateway": dummy_charge})["transactionInitialize"]
    settings.OCOP_DUMMY_PAYMENTS = True
    gateways = api(GATEWAYS, {"id": checkout_id(checkout)})["checkout"]["availablePaymentGateways"]

    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("paymentGateway", "NOT_FOUND")]
    assert {"id": DUMMY, "name": "Dummy Payment App", "currencies": ["VND"]} in gateways


@pytest.mark.usefixtures("dummy_payments")
def test_the_storefronts_test_payment_charges_at_once_and_completes_like_a_card(api):
    """What the storefront sends for a dummy payment (the event to record, the checkout's total), then
    checkoutComplete: an order paid in full, as after a Stripe charge."""
    checkout = make_checkout()

    result = api(
        INITIALIZE,
        {
            "id": checkout_id(checkout),
            "amount": PRICE,
            "gateway": {"id": DUMMY, "data": {"event": {"includePspReference": True, "type": "CHARGE_SUCCESS"}}},
        },
    )["transactionInitialize"]
    status = api(STATUS, {"id": checkout_id(checkout)})["checkout"]
    completed = api(COMPLETE, {"id": checkout_id(checkout)})["checkoutComplete"]

    assert result["errors"] == []
    assert result["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert result["transaction"]["name"] == "Dummy Payment App"
    assert result["transaction"]["chargedAmount"] == {"amount": PRICE}
    assert result["transaction"]["actions"] == ["REFUND"]
    assert result["transaction"]["pspReference"]
    assert status == {"chargeStatus": "FULL", "authorizeStatus": "FULL"}
    assert completed["errors"] == []
    order = Order.objects.get()
    assert (completed["order"]["isPaid"], completed["order"]["chargeStatus"]) == (True, "FULL")
    assert (order.payment_method, order.charge_status, order.total_charged_amount) == (
        PaymentMethod.CARD,
        ChargeStatus.FULL,
        PRICE,
    )
    assert TransactionItem.objects.get().order == order


@pytest.mark.usefixtures("dummy_payments")
def test_a_dummy_charge_is_refunded_without_a_provider(api):
    checkout = make_checkout()
    api(
        INITIALIZE,
        {"id": checkout_id(checkout), "gateway": {"id": DUMMY, "data": {"event": {"type": "CHARGE_SUCCESS"}}}},
    )
    api(COMPLETE, {"id": checkout_id(checkout)})

    order = order_refund(order=Order.objects.get())
    order_refund(order=order)  # again: nothing more

    item = TransactionItem.objects.get()
    assert item.refunded_amount == PRICE
    assert list(item.events.values_list("type", flat=True)) == ["charge_success", "refund_success"]


@pytest.mark.usefixtures("dummy_payments")
@pytest.mark.parametrize(
    ("data", "event_type"),
    [
        ({"event": {"type": "CHARGE_FAILURE"}}, "CHARGE_FAILURE"),
        ({"event": {"type": "NOT_A_TYPE"}}, "CHARGE_FAILURE"),
        (None, "CHARGE_FAILURE"),
    ],
)
def test_a_failed_or_unreadable_dummy_payment_records_a_failure_and_pays_nothing(api, data, event_type):
    checkout = make_checkout()

    result = api(INITIALIZE, {"id": checkout_id(checkout), "gateway": {"id": DUMMY, "data": data}})[
        "transactionInitialize"
    ]
    completed = api(COMPLETE, {"id": checkout_id(checkout)})["checkoutComplete"]

    assert result["errors"] == []
    assert result["transactionEvent"]["type"] == event_type
    assert result["transaction"]["chargedAmount"] == {"amount": 0.0}
    assert [error["code"] for error in completed["errors"]] == ["CHECKOUT_NOT_FULLY_PAID"]
    assert not Order.objects.exists()


@pytest.mark.usefixtures("dummy_payments")
def test_a_dummy_authorization_holds_the_amount(api):
    checkout = make_checkout()

    result = api(
        INITIALIZE,
        {"id": checkout_id(checkout), "gateway": {"id": DUMMY, "data": {"event": {"type": "AUTHORIZATION_SUCCESS"}}}},
    )["transactionInitialize"]
    status = api(STATUS, {"id": checkout_id(checkout)})["checkout"]

    assert result["transactionEvent"]["type"] == "AUTHORIZATION_SUCCESS"
    assert TransactionItem.objects.values_list("authorized_amount", "charged_amount").get() == (PRICE, 0)
    assert status == {"chargeStatus": "NONE", "authorizeStatus": "FULL"}


# --- settings ---


def _production_settings(**env: str) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "shop.example.vn",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=django_settings.BASE_DIR,
    )


def test_production_settings_refuse_test_payments():
    refused = _production_settings(OCOP_DUMMY_PAYMENTS="true")
    accepted = _production_settings(OCOP_DUMMY_PAYMENTS="false")

    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "OCOP_DUMMY_PAYMENTS" in refused.stderr
    assert accepted.returncode == 0, accepted.stderr


# --- stored gateway ids ---


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_stored_stripe_transactions_the_stripe_apps_id():
    executor = MigrationExecutor(connection)
    executor.migrate([("payments", "0001_initial")])
    old_apps = executor.loader.project_state([("payments", "0001_initial")]).apps
    OldTransaction = old_apps.get_model("payments", "TransactionItem")
    card = OldTransaction.objects.create(gateway="ocop.payments.stripe", amount_requested=PRICE)
    cash = OldTransaction.objects.create(gateway="ocop.payments.cash", amount_requested=PRICE)

    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert dict(TransactionItem.objects.values_list("pk", "gateway")) == {
        card.pk: Gateway.STRIPE.value,
        cash.pk: Gateway.CASH.value,
    }
    assert not TransactionEvent.objects.exists()
