"""The whole journey through the GraphQL API: a guest buys from two producers, pays (card against
localstripe, or cash at pickup), outlet staff make the order ready, the e-mail carries the pickup code,
and the code releases the order at the counter. And the same with home delivery."""

from __future__ import annotations

import re

import pytest

from marketplace.inventory.models import Stock
from marketplace.orders.models import Order
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.marketplace.checkout.helpers import ADDRESS, CREATE

pytestmark = pytest.mark.django_db(transaction=True)

DELIVERY = """
mutation Delivery($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { totalPrice { gross { amount } } shippingMethods { id name } }
    errors { field code message }
  }
}"""
SHIPPING_ADDRESS = """
mutation Address($id: ID!, $address: AddressInput!) {
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout { shippingMethods { id name price { amount } } }
    errors { field code message }
  }
}"""
INITIALIZE = """
mutation Pay($id: ID!, $gateway: String!) {
  transactionInitialize(id: $id, paymentGateway: {id: $gateway}) {
    transaction { id chargedAmount { amount } }
    transactionEvent { type }
    data
    errors { field code message }
  }
}"""
PROCESS = """
mutation Process($id: ID!, $data: JSON) {
  transactionProcess(id: $id, data: $data) {
    transaction { id chargedAmount { amount currency } }
    transactionEvent { type }
    errors { field code message }
  }
}"""
COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) {
    order {
      id number status stage isPaid chargeStatus paymentMethod
      total { gross { amount currency } } amountDue { amount }
      lines { productName quantity producerName }
      fulfillments { warehouse { name } producerName }
    }
    errors { field code message lines }
  }
}"""
TOKEN = """
mutation Login($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { field code message } }
}"""
READY = """
mutation Ready($id: ID!) {
  orderMarkReadyForPickup(id: $id) { order { stage collectBy pickupCode } errors { field code message } }
}"""
PICK_UP = """
mutation PickUp($code: String!, $cash: Int) {
  orderPickUp(pickupCode: $code, cashAmount: $cash) { order { number stage isPaid } errors { field code message } }
}"""
SHIP = """
mutation Ship($id: ID!) {
  fulfillmentMarkShipped(id: $id, trackingNumber: "VN123") { order { stage } errors { field code message } }
}"""
DELIVERED = """
mutation Delivered($id: ID!, $cash: Int) {
  orderMarkDelivered(id: $id, cashAmount: $cash) { order { stage isPaid } errors { field code message } }
}"""
ORDER = "query Order($id: ID!) { order(id: $id) { stage fulfillments { id producerName } } }"


def _login(api, user) -> str:
    result = api(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD})["tokenCreate"]
    assert result["errors"] == []
    return result["token"]


def _guest_checkout(api, shop, *, language: str = "EN") -> dict:
    payload = {
        "channel": shop.channel.slug,
        "email": "tourist@example.test",
        "languageCode": language,
        "lines": [
            {"variantId": shop.variant_id(shop.coffee_variant), "quantity": 2},
            {"variantId": shop.variant_id(shop.cashew_variant), "quantity": 1},
        ],
    }
    result = api(CREATE, {"input": payload})["checkoutCreate"]
    assert result["errors"] == []
    return result["checkout"]


def _pickup_code_from(mailbox) -> str:
    """The code of the last "ready for pickup" e-mail: in its subject and text, and as a QR image."""
    ready = [
        message
        for message in mailbox
        if any(part.get_content_type() == "image/png" for part in message.message().walk())
    ]
    assert ready, [message.subject for message in mailbox]
    match = re.search(r"\b([2-9A-HJKMNP-Z]{6})$", ready[-1].subject)
    assert match, ready[-1].subject
    assert match.group(1) in ready[-1].body
    return match.group(1)


def _collect_at_tourist_site(api, shop, checkout) -> None:
    chosen = api(DELIVERY, {"id": checkout["id"], "method": shop.outlet_id(shop.tourist_site)})
    assert chosen["checkoutDeliveryMethodUpdate"]["errors"] == []


def test_card_payment_and_pickup_at_a_tourist_site(api, shop, stripe_settings, mailoutbox):
    checkout = _guest_checkout(api, shop)
    _collect_at_tourist_site(api, shop, checkout)

    started = api(INITIALIZE, {"id": checkout["id"], "gateway": "saleor.app.payment.stripe"})["transactionInitialize"]
    assert started["errors"] == []
    assert started["data"]["paymentIntent"]["stripeClientSecret"]
    processed = api(PROCESS, {"id": started["transaction"]["id"], "data": {"paymentMethod": "pm_card_visa"}})[
        "transactionProcess"
    ]
    assert processed["errors"] == []
    assert processed["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert processed["transaction"]["chargedAmount"] == {"amount": 520_000, "currency": "VND"}

    result = api(COMPLETE, {"id": checkout["id"]})["checkoutComplete"]
    assert result["errors"] == []
    order = result["order"]
    assert (order["status"], order["stage"], order["isPaid"], order["chargeStatus"]) == (
        "UNFULFILLED",
        "UNFULFILLED",
        True,
        "FULL",
    )
    assert order["total"]["gross"] == {"amount": 520_000, "currency": "VND"}
    assert sorted(f["producerName"] for f in order["fulfillments"]) == ["HTX Cà phê Xuân Lộc", "HTX Điều Bình Phước"]
    assert {f["warehouse"]["name"] for f in order["fulfillments"]} == {"Khu du lịch Bửu Long"}
    assert "Order" in mailoutbox[0].subject or "order" in mailoutbox[0].subject.lower()

    staff = make_user("outlet_staff", outlet=shop.tourist_site)
    token = _login(api, staff)
    ready = api(READY, {"id": order["id"]}, token=token)["orderMarkReadyForPickup"]
    assert ready["errors"] == []
    assert ready["order"]["stage"] == "READY_FOR_PICKUP"
    code = _pickup_code_from(mailoutbox)
    assert code == ready["order"]["pickupCode"]

    handed = api(PICK_UP, {"code": code.lower()}, token=token)["orderPickUp"]
    assert handed["errors"] == []
    assert handed["order"]["stage"] == "PICKED_UP"
    again = api(PICK_UP, {"code": code}, token=token)["orderPickUp"]
    assert [error["code"] for error in again["errors"]] == ["ALREADY_PICKED_UP"]
    assert Stock.objects.get(variant=shop.coffee_variant, outlet=shop.tourist_site).quantity == 8
    assert Stock.objects.get(variant=shop.cashew_variant, outlet=shop.tourist_site).quantity == 9


def test_cash_at_pickup_and_the_counter_refuses_wrong_codes_and_outlets(api, shop, mailoutbox):
    checkout = _guest_checkout(api, shop, language="VI")
    _collect_at_tourist_site(api, shop, checkout)
    cash = api(INITIALIZE, {"id": checkout["id"], "gateway": "ocop.payments.cash"})["transactionInitialize"]
    assert cash["errors"] == []
    order = api(COMPLETE, {"id": checkout["id"]})["checkoutComplete"]["order"]
    assert (order["stage"], order["paymentMethod"], order["isPaid"]) == ("UNFULFILLED", "CASH", False)
    assert order["amountDue"]["amount"] == 520_000

    staff = make_user("outlet_staff", outlet=shop.tourist_site)
    token = _login(api, staff)
    api(READY, {"id": order["id"]}, token=token)
    code = _pickup_code_from(mailoutbox)

    other_outlet_staff = _login(api, make_user("outlet_staff", outlet=shop.showroom))
    wrong_outlet = api(PICK_UP, {"code": code, "cash": 520_000}, token=other_outlet_staff)["orderPickUp"]
    assert [error["code"] for error in wrong_outlet["errors"]] == ["PICKUP_WRONG_OUTLET"]
    wrong_code = api(PICK_UP, {"code": "ZZZZZZ", "cash": 520_000}, token=token)["orderPickUp"]
    assert [error["code"] for error in wrong_code["errors"]] == ["PICKUP_CODE_INVALID"]
    short = api(PICK_UP, {"code": code, "cash": 500_000}, token=token)["orderPickUp"]
    assert [error["code"] for error in short["errors"]] == ["CASH_AMOUNT_MISMATCH"]
    assert Order.objects.get().total_charged_amount == 0

    paid = api(PICK_UP, {"code": code, "cash": 520_000}, token=token)["orderPickUp"]
    assert paid["errors"] == []
    assert paid["order"]["stage"] == "PICKED_UP"
    assert paid["order"]["isPaid"] is True


def test_home_delivery_with_cash_on_delivery(api, shop, mailoutbox):
    checkout = _guest_checkout(api, shop)
    methods = api(SHIPPING_ADDRESS, {"id": checkout["id"], "address": ADDRESS})["checkoutShippingAddressUpdate"]
    assert methods["errors"] == []
    standard = methods["checkout"]["shippingMethods"][0]
    chosen = api(DELIVERY, {"id": checkout["id"], "method": standard["id"]})["checkoutDeliveryMethodUpdate"]
    assert chosen["checkout"]["totalPrice"]["gross"]["amount"] == 550_000
    api(INITIALIZE, {"id": checkout["id"], "gateway": "ocop.payments.cash"})
    order = api(COMPLETE, {"id": checkout["id"]})["checkoutComplete"]["order"]
    assert order["total"]["gross"]["amount"] == 550_000
    # Coffee from the showroom or tourist site, cashews from the producer's own warehouse.
    assert "Kho HTX Điều" in {f["warehouse"]["name"] for f in order["fulfillments"]}

    operator = _login(api, make_user("operator"))
    fulfillments = api(ORDER, {"id": order["id"]}, token=operator)["order"]["fulfillments"]
    for fulfillment in fulfillments:
        shipped = api(SHIP, {"id": fulfillment["id"]}, token=operator)["fulfillmentMarkShipped"]
        assert shipped["errors"] == []
    assert shipped["order"]["stage"] == "SHIPPED"
    delivered = api(DELIVERED, {"id": order["id"], "cash": 550_000}, token=operator)["orderMarkDelivered"]
    assert delivered["errors"] == []
    assert (delivered["order"]["stage"], delivered["order"]["isPaid"]) == ("DELIVERED", True)
