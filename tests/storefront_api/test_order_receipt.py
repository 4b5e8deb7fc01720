"""`order(id)` is a receipt (marketplace/orders/privacy.py): anyone holding the id reads the order, its buyer
masked as Saleor masks it and without the pickup code, unless the requester is its buyer or staff who may see
it. The Saleor storefront's order page (number, lines, totals, addresses, userEmail) reads either way."""

from __future__ import annotations

import pytest

from marketplace.orders.models import Order
from marketplace.orders.privacy import mask_email, mask_text
from marketplace.orders.services import order_mark_ready_for_pickup
from storefront_api.core.ids import global_id
from tests.factories import DEFAULT_PASSWORD, make_user
from tests.marketplace.checkout.helpers import cash_pickup_checkout, place_cash_pickup_order
from tests.marketplace.checkout.test_journey import TOKEN
from tests.order_factories import make_delivery_order

ADDRESS = "firstName lastName companyName streetAddress1 streetAddress2 city cityArea postalCode countryArea phone"
RECEIPT = f"""
query Order($id: ID!) {{
  order(id: $id) {{
    id number created status userEmail pickupCode customerNote user {{ email }}
    lines {{ productName quantity totalPrice {{ gross {{ amount }} }} }}
    total {{ gross {{ amount currency }} }} subtotal {{ gross {{ amount }} }} shippingPrice {{ gross {{ amount }} }}
    shippingAddress {{ {ADDRESS} }} billingAddress {{ {ADDRESS} }}
    deliveryMethod {{ __typename }} events {{ type email }}
  }}
}}"""


def _token(api, user) -> str:
    return api(TOKEN, {"email": user.email, "password": DEFAULT_PASSWORD})["tokenCreate"]["token"]


def _read(api, order: Order, user=None) -> dict:
    return api(RECEIPT, {"id": global_id("Order", order.pk)}, token=_token(api, user) if user else None)["order"]


@pytest.fixture
def delivery(db) -> Order:
    order = make_delivery_order(user_email="lan.tran@example.vn", customer_note="Gọi trước 0909 000 111")
    return order


def test_masking_follows_saleor():
    assert mask_email("lan.tran@example.vn") == "l...@example.vn"
    assert mask_text("Trần Thị") == "T......."
    assert mask_text("0909 000 111", keep=3) == "090........."
    assert mask_text("") == ""


def _assert_masked(seen: dict, order: Order) -> None:
    assert seen["number"] == str(order.number)
    assert seen["lines"] and seen["total"]["gross"]["amount"] == order.total_amount
    assert seen["userEmail"] == "l...@example.vn"
    assert seen["user"] is None
    assert seen["pickupCode"] is None
    assert "0909" not in seen["customerNote"]
    for address in (seen["shippingAddress"], seen["billingAddress"]):
        assert address["firstName"] == "L.."
        assert address["lastName"] == "T......."
        assert address["streetAddress1"] == "1" + "." * (len("12 Đường Võ Thị Sáu") - 1)
        assert address["phone"] == "090" + "." * (len("0909 000 111") - 3)
        assert (address["city"], address["countryArea"]) == ("Phường Trấn Biên", "Tỉnh Đồng Nai")


def _assert_full(seen: dict, order: Order) -> None:
    assert seen["userEmail"] == "lan.tran@example.vn"
    assert seen["customerNote"] == "Gọi trước 0909 000 111"
    for address in (seen["shippingAddress"], seen["billingAddress"]):
        assert (address["firstName"], address["lastName"]) == ("Lan", "Trần Thị")
        assert address["streetAddress1"] == "12 Đường Võ Thị Sáu"
        assert address["phone"]


def test_a_guest_receipt_read_by_anyone_masks_the_buyer(api, delivery):
    _assert_masked(_read(api, delivery), delivery)
    _assert_masked(_read(api, delivery, make_user("consumer")), delivery)


def test_a_buyers_order_read_by_someone_else_masks_the_buyer(api, delivery):
    buyer = make_user("consumer", email="lan.tran@example.vn")
    Order.objects.filter(pk=delivery.pk).update(user=buyer)

    _assert_masked(_read(api, delivery), delivery)
    _assert_masked(_read(api, delivery, make_user("consumer")), delivery)
    seen = _read(api, delivery, buyer)
    _assert_full(seen, delivery)
    assert seen["user"] == {"email": "lan.tran@example.vn"}


@pytest.mark.parametrize("who", ["operator"])
def test_staff_who_may_see_the_order_read_the_buyer_in_full(api, delivery, who):
    _assert_full(_read(api, delivery, make_user(who)), delivery)


def test_a_pickup_code_is_only_for_the_buyer_and_the_outlets_staff(api, shop):
    order = place_cash_pickup_order(shop)
    order = order_mark_ready_for_pickup(order=order, by_user=make_user("operator")) or Order.objects.get(pk=order.pk)
    order.refresh_from_db()
    assert order.pickup_code

    assert _read(api, order)["pickupCode"] is None
    assert _read(api, order)["userEmail"] == mask_email("buyer@example.test")
    assert _read(api, order, make_user("outlet_staff", outlet=shop.tourist_site))["pickupCode"] == order.pickup_code
    assert _read(api, order, make_user("outlet_staff", outlet=shop.showroom)) is None
    assert _read(api, order, make_user("trade_staff")) is None


def test_the_guest_completing_the_checkout_reads_the_order_in_full_then_the_receipt_masks_it(api, shop):
    checkout = cash_pickup_checkout(shop, {shop.coffee_variant: 1}, email="lan.tran@example.vn")
    complete = """mutation($id: ID!) { checkoutComplete(id: $id) {
        order { id number userEmail lines { productName } } confirmationNeeded errors { code } } }"""

    completed = api(complete, {"id": global_id("Checkout", checkout.pk)})["checkoutComplete"]

    assert completed["errors"] == []
    assert completed["order"]["userEmail"] == "lan.tran@example.vn"
    receipt = api(RECEIPT, {"id": completed["order"]["id"]})["order"]
    assert receipt["number"] == completed["order"]["number"]
    assert receipt["userEmail"] == "l...@example.vn"
    assert [line["productName"] for line in receipt["lines"]] == ["Cà phê hạt Robusta"]
