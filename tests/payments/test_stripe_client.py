"""payments.stripe against a real localstripe process: what goes over the wire, and what comes back."""

import hashlib
import hmac
import json
import time
import urllib.request
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from payments import stripe as gateway
from payments.stripe.localstripe_server import register_webhook

pytestmark = pytest.mark.usefixtures("stripe_settings")

GOOD_CARD = "pm_card_visa"  # 4242 4242 4242 4242
# localstripe refuses 4000000000000002 only when attaching it to a customer; 4000000000000341 fails the charge,
# on Stripe and on localstripe alike.
DECLINED_CARD = "pm_card_chargeCustomerFail"


def new_key() -> str:
    return f"test-{uuid.uuid4()}"


def open_intent(amount: int = 150_000, **overrides) -> gateway.PaymentIntent:
    arguments = {
        "amount": amount,
        "currency": "vnd",
        "idempotency_key": new_key(),
        "metadata": {"order_number": "DN-000123"},
        "receipt_email": None,
    }
    return gateway.create_payment_intent(**(arguments | overrides))


def server_view(base_url: str, path: str) -> dict:
    """What the Stripe server holds, read with plain HTTP rather than through our client."""
    request = urllib.request.Request(base_url + path, headers={"Authorization": "Bearer sk_test_localstripe"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def sign(payload: bytes, *, secret: str, timestamp: int) -> str:
    signature = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


# --- payment intents ---


def test_vnd_amounts_go_to_stripe_unchanged(localstripe):
    intent = open_intent(150_000, receipt_email="khach@example.vn")

    assert (intent.amount, intent.currency, intent.status) == (150_000, "vnd", "requires_payment_method")
    assert intent.amount_received == 0
    assert intent.client_secret.startswith(intent.id)
    held = server_view(localstripe, f"/v1/payment_intents/{intent.id}")
    assert held["amount"] == 150_000  # not 15 000 000: VND is zero-decimal
    assert held["currency"] == "vnd"
    assert held["metadata"] == {"order_number": "DN-000123"}
    assert held["receipt_email"] == "khach@example.vn"


@pytest.mark.parametrize("amount", [150_000.0, Decimal("150000"), "150000", True])
def test_an_amount_that_is_not_an_int_is_refused_before_calling_stripe(amount):
    with pytest.raises(TypeError):
        open_intent(amount)


@pytest.mark.parametrize("amount", [0, -5_000])
def test_an_amount_must_be_positive(amount):
    with pytest.raises(ValueError):
        open_intent(amount)


def test_only_zero_decimal_currencies_are_accepted():
    with pytest.raises(ValueError, match="zero-decimal"):
        open_intent(1_500, currency="usd")


def test_a_good_card_pays_the_intent():
    intent = open_intent()

    paid = gateway.confirm_payment_intent(payment_intent_id=intent.id, payment_method=GOOD_CARD)

    assert (paid.id, paid.status, paid.amount_received) == (intent.id, "succeeded", 150_000)
    assert gateway.retrieve_payment_intent(payment_intent_id=intent.id) == paid


def test_a_declined_card_raises_card_declined():
    intent = open_intent()

    with pytest.raises(gateway.CardDeclined) as declined:
        gateway.confirm_payment_intent(payment_intent_id=intent.id, payment_method=DECLINED_CARD)

    assert declined.value.code == "card_declined"
    assert declined.value.decline_code is None  # localstripe sends none; Stripe sends e.g. "generic_decline"
    assert declined.value.message == "Your card was declined."
    assert gateway.retrieve_payment_intent(payment_intent_id=intent.id).status == "requires_payment_method"


def test_a_repeated_idempotency_key_returns_the_same_intent():
    key = new_key()

    first = open_intent(idempotency_key=key)
    again = open_intent(idempotency_key=key)
    other = open_intent()

    assert again.id == first.id
    assert other.id != first.id


def test_an_idempotency_key_reused_with_other_parameters_is_refused():
    key = new_key()
    open_intent(150_000, idempotency_key=key)

    with pytest.raises(gateway.IdempotencyKeyReused):
        open_intent(200_000, idempotency_key=key)


def test_a_manual_capture_intent_holds_then_takes_the_money():
    intent = open_intent(capture_method="manual")
    held = gateway.confirm_payment_intent(payment_intent_id=intent.id, payment_method=GOOD_CARD)
    assert (held.status, held.amount_received) == ("requires_capture", 0)

    captured = gateway.capture_payment_intent(payment_intent_id=intent.id)

    assert (captured.status, captured.amount_received) == ("succeeded", 150_000)


def test_an_unpaid_intent_can_be_cancelled():
    intent = open_intent()

    assert gateway.cancel_payment_intent(payment_intent_id=intent.id).status == "canceled"


def test_an_unknown_intent_is_a_gateway_error_not_an_outage():
    with pytest.raises(gateway.StripeGatewayError) as error:
        gateway.retrieve_payment_intent(payment_intent_id="pi_doesnotexist")

    assert not isinstance(error.value, gateway.StripeUnavailable)
    assert error.value.http_status == 404


def test_an_unreachable_stripe_is_unavailable(settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    with pytest.raises(gateway.StripeUnavailable):
        gateway.retrieve_payment_intent(payment_intent_id="pi_whatever")


def test_no_secret_key_is_a_configuration_error(settings):
    settings.STRIPE_SECRET_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="STRIPE_SECRET_KEY"):
        open_intent()


def test_the_publishable_key_comes_from_the_settings(settings):
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_shop"

    assert gateway.publishable_key() == "pk_test_shop"


# --- refunds ---


def paid_intent() -> gateway.PaymentIntent:
    intent = open_intent()
    return gateway.confirm_payment_intent(payment_intent_id=intent.id, payment_method=GOOD_CARD)


def test_a_full_refund(localstripe):
    intent = paid_intent()

    refund = gateway.create_refund(payment_intent_id=intent.id, amount=None, idempotency_key=new_key())

    assert (refund.status, refund.amount) == ("succeeded", 150_000)
    assert server_view(localstripe, f"/v1/refunds/{refund.id}")["amount"] == 150_000


def test_a_partial_refund_and_its_repetition(localstripe):
    intent = paid_intent()
    key = new_key()

    refund = gateway.create_refund(payment_intent_id=intent.id, amount=50_000, idempotency_key=key)
    again = gateway.create_refund(payment_intent_id=intent.id, amount=50_000, idempotency_key=key)

    assert (refund.status, refund.amount) == ("succeeded", 50_000)
    assert again == refund
    refunds = server_view(localstripe, f"/v1/refunds?payment_intent={intent.id}")["data"]
    assert [item["amount"] for item in refunds] == [50_000]


def test_a_refund_amount_must_be_a_whole_number():
    with pytest.raises(TypeError):
        gateway.create_refund(payment_intent_id="pi_x", amount=50_000.5, idempotency_key=new_key())


# --- webhooks ---

SECRET = "whsec_test_localstripe"  # config/settings/test.py


def event_body(**overrides) -> bytes:
    event = {
        "id": "evt_test_1",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": int(time.time()),
        "data": {"object": {"id": "pi_test_1", "object": "payment_intent", "amount": 150_000, "currency": "vnd"}},
    }
    return json.dumps(event | overrides).encode()


def test_a_correctly_signed_event_parses():
    payload = event_body()

    event = gateway.parse_webhook_event(
        payload=payload, signature_header=sign(payload, secret=SECRET, timestamp=int(time.time()))
    )

    assert (event.id, event.type) == ("evt_test_1", "payment_intent.succeeded")
    assert event.data_object["amount"] == 150_000


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda payload, now: sign(payload, secret="whsec_someone_else", timestamp=now), id="wrong-secret"),
        pytest.param(
            lambda payload, now: sign(payload.replace(b"150000", b"1"), secret=SECRET, timestamp=now), id="body-changed"
        ),
        pytest.param(
            lambda payload, now: sign(payload, secret=SECRET, timestamp=now).replace("v1=", "v0="), id="other-scheme"
        ),
        pytest.param(lambda payload, now: "", id="no-header"),
        pytest.param(lambda payload, now: "nonsense", id="garbage-header"),
    ],
)
def test_a_forged_event_is_refused(forge):
    payload = event_body()

    with pytest.raises(gateway.InvalidWebhookSignature):
        gateway.parse_webhook_event(payload=payload, signature_header=forge(payload, int(time.time())))


def test_a_stale_event_is_refused():
    payload = event_body()
    header = sign(payload, secret=SECRET, timestamp=int(time.time()) - 301)

    with pytest.raises(gateway.InvalidWebhookSignature, match="tolerance"):
        gateway.parse_webhook_event(payload=payload, signature_header=header, tolerance_seconds=300)


def test_a_signed_body_that_is_not_an_event_is_refused():
    payload = b'{"hello": "world"}'

    with pytest.raises(gateway.InvalidWebhookPayload):
        gateway.parse_webhook_event(
            payload=payload, signature_header=sign(payload, secret=SECRET, timestamp=int(time.time()))
        )


def test_without_a_webhook_secret_nothing_is_accepted(settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload = event_body()

    with pytest.raises(ImproperlyConfigured, match="STRIPE_WEBHOOK_SECRET"):
        gateway.parse_webhook_event(
            payload=payload, signature_header=sign(payload, secret="", timestamp=int(time.time()))
        )


def test_a_webhook_delivered_by_localstripe_verifies(localstripe, webhook_inbox, settings):
    register_webhook(
        localstripe,
        url=webhook_inbox.url,
        secret=settings.STRIPE_WEBHOOK_SECRET,
        events=["payment_intent.succeeded", "payment_intent.payment_failed"],
        name=f"inbox-{uuid.uuid4().hex[:8]}",
    )
    intent = paid_intent()

    delivery = webhook_inbox.wait_for(event_type="payment_intent.succeeded", object_id=intent.id)
    event = gateway.parse_webhook_event(payload=delivery.body, signature_header=delivery.headers["Stripe-Signature"])

    assert event.type == "payment_intent.succeeded"
    assert event.data_object["id"] == intent.id
    assert event.data_object["amount"] == 150_000
    assert event.data_object["metadata"] == {"order_number": "DN-000123"}
    settings.STRIPE_WEBHOOK_SECRET = "whsec_someone_else"
    with pytest.raises(gateway.InvalidWebhookSignature):
        gateway.parse_webhook_event(payload=delivery.body, signature_header=delivery.headers["Stripe-Signature"])


def test_a_declined_payment_is_delivered_as_payment_failed(localstripe, webhook_inbox, settings):
    register_webhook(
        localstripe,
        url=webhook_inbox.url,
        secret=settings.STRIPE_WEBHOOK_SECRET,
        events=["payment_intent.payment_failed"],
        name=f"inbox-{uuid.uuid4().hex[:8]}",
    )
    intent = open_intent()
    with pytest.raises(gateway.CardDeclined):
        gateway.confirm_payment_intent(payment_intent_id=intent.id, payment_method=DECLINED_CARD)

    delivery = webhook_inbox.wait_for(event_type="payment_intent.payment_failed", object_id=intent.id)
    event = gateway.parse_webhook_event(payload=delivery.body, signature_header=delivery.headers["Stripe-Signature"])

    assert event.data_object["id"] == intent.id
