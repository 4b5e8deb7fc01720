"""Promo codes on our own cart and checkout pages: apply, see the discount, remove; refusals in the page's
language; the order page keeps the discount."""

from __future__ import annotations

import pytest
from django.test import Client

from marketplace.checkout.models import Checkout
from marketplace.orders.models import Order
from tests.marketplace.discounts.helpers import make_voucher
from tests.web.test_cart_pages import add, pickup, text


@pytest.fixture
def client() -> Client:
    client = Client()
    client.cookies["ocop_language"] = "en"
    return client


def _fill(client: Client, shop) -> None:
    add(client, shop.coffee_variant, 1)
    add(client, shop.cashew_variant, 1)


def test_apply_see_the_discount_and_remove(client, shop):
    make_voucher(shop.channel, code="TET2027")
    _fill(client, shop)
    assert "Have a promo code?" in text(client.get("/cart/"))

    response = client.post("/cart/promo-code/", {"action": "apply", "code": "tet2027", "next": "/checkout/"})
    assert response.status_code == 302 and response["Location"] == "/checkout/"
    page = text(client.get("/checkout/"))
    assert "The promo code TET2027 is applied." in page
    assert "Tết sale" in page and "−37,000 VND" in page
    assert "333,000 VND" in page  # total before delivery
    cart = text(client.get("/cart/"))
    assert 'id="cart-discount">−37,000 VND' in cart

    client.post("/cart/promo-code/", {"action": "remove", "next": "/cart/"})
    cart = text(client.get("/cart/"))
    assert "The promo code is removed." in cart and "cart-discount" not in cart
    assert Checkout.objects.get().voucher_code == ""


def test_refusals_are_shown_in_the_pages_language(client, shop):
    make_voucher(shop.channel, code="BIG", min_spent_amount=1_000_000)
    _fill(client, shop)
    client.post("/cart/promo-code/", {"action": "apply", "code": "nope"})
    assert "This promo code is not valid." in text(client.get("/cart/"))
    client.cookies["ocop_language"] = "vi"
    client.post("/cart/promo-code/", {"action": "apply", "code": "BIG"})
    assert "Giỏ hàng chưa đạt giá trị tối thiểu để dùng mã này." in text(client.get("/cart/"))
    assert Checkout.objects.get().voucher_code == ""


def test_the_order_is_placed_with_the_discount_and_shows_it(client, shop):
    make_voucher(shop.channel, code="TET2027", discount_value_type="fixed", discount_value=20_000)
    _fill(client, shop)
    client.post("/cart/promo-code/", {"action": "apply", "code": "TET2027"})
    response = client.post("/checkout/", pickup(shop))
    order = Order.objects.get()
    assert response["Location"] == f"/orders/{order.pk}/"
    assert (order.discount_amount, order.total_amount, order.voucher_code) == (20_000, 350_000, "TET2027")
    page = text(client.get(response["Location"]))
    assert "Discount (TET2027: Tết sale)" in page and "−20,000 VND" in page and "350,000 VND" in page


def test_a_code_that_stopped_applying_refuses_the_order_with_its_reason(client, shop):
    voucher = make_voucher(shop.channel, code="TET2027", usage_limit=1)
    _fill(client, shop)
    client.post("/cart/promo-code/", {"action": "apply", "code": "TET2027"})
    voucher.used = 1
    voucher.save()
    assert "This code does not apply now:" in text(client.get("/checkout/"))
    response = client.post("/checkout/", pickup(shop))
    assert response.status_code == 200
    assert "This code has been used as many times as it may be." in text(response)
    assert not Order.objects.exists()
