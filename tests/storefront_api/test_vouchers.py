"""checkoutAddPromoCode / checkoutRemovePromoCode, the checkout's discount fields, and the order's copy of its
voucher discount, through /graphql/ with our own documents."""

from __future__ import annotations

import datetime
import json
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from marketplace.discounts.models import Voucher
from marketplace.orders.models import Order
from payments.models import Gateway, TransactionItem
from storefront_api.core.ids import global_id
from tests.factories import delist
from tests.marketplace.discounts.helpers import make_voucher, shop_checkout

CHECKOUT = """id voucherCode discountName translatedDiscountName discount { amount currency }
  subtotalPrice { gross { amount } } totalPrice { gross { amount } }"""
ADD = """mutation Add($checkoutId: ID, $promoCode: String!) {
  checkoutAddPromoCode(checkoutId: $checkoutId, promoCode: $promoCode) {
    errors { field code message variants } checkout { CHECKOUT }
  }
}""".replace("CHECKOUT", CHECKOUT)
REMOVE = """mutation Remove($id: ID, $promoCode: String, $promoCodeId: ID) {
  checkoutRemovePromoCode(id: $id, promoCode: $promoCode, promoCodeId: $promoCodeId) {
    errors { field code message } checkout { CHECKOUT }
  }
}""".replace("CHECKOUT", CHECKOUT)
COMPLETE = """mutation Complete($id: ID!) {
  checkoutComplete(id: $id) {
    errors { field code message }
    order {
      voucherCode discount { amount } discountName translatedDiscountName
      undiscountedTotal { gross { amount } } subtotal { gross { amount } } total { gross { amount } }
      voucher { id name code discountValueType discountValue type used usageLimit applyOncePerCustomer currency }
      discounts { id type name translatedName valueType value reason amount { amount currency } total { amount } }
    }
  }
}"""


def _id(checkout) -> str:
    return global_id("Checkout", checkout.pk)


def _add(api, checkout, code: str) -> dict:
    return api(ADD, {"checkoutId": _id(checkout), "promoCode": code})["checkoutAddPromoCode"]


def _pay_cash(checkout) -> None:
    TransactionItem.objects.create(gateway=Gateway.CASH, checkout=checkout, amount_requested=0)


def test_a_code_applies_and_the_checkout_shows_its_discount(api, shop):
    make_voucher(shop.channel, code="TET2027")
    checkout = shop_checkout(shop)
    checkout.language_code = "en"
    checkout.save()
    result = _add(api, checkout, "tet2027")
    assert result["errors"] == []
    assert result["checkout"] == {
        "id": _id(checkout),
        "voucherCode": "TET2027",
        "discountName": "Khuyến mãi Tết",
        "translatedDiscountName": "Tết sale",
        "discount": {"amount": 37_000.0, "currency": "VND"},
        "subtotalPrice": {"gross": {"amount": 370_000.0}},
        "totalPrice": {"gross": {"amount": 333_000.0}},
    }


def test_without_a_voucher_the_discount_is_zero(api, shop):
    checkout = shop_checkout(shop)
    result = api(f'query {{ checkout(id: "{_id(checkout)}") {{ {CHECKOUT} }} }}')["checkout"]
    assert (result["voucherCode"], result["discountName"], result["discount"]["amount"]) == (None, None, 0.0)


@pytest.mark.parametrize(
    ("terms", "code"),
    [
        ({}, "WRONG"),
        ({"end_date": timezone.now() - datetime.timedelta(hours=1)}, "TET2027"),
        ({"min_spent_amount": 1_000_000}, "TET2027"),
        ({"usage_limit": 3, "used": 3}, "TET2027"),
        ({"start_date": timezone.now() + datetime.timedelta(days=2)}, "TET2027"),
    ],
    ids=["unknown", "expired", "below-minimum", "used-up", "not-started"],
)
def test_refusals_carry_saleors_codes(api, shop, terms, code):
    if "end_date" in terms:
        terms["start_date"] = timezone.now() - datetime.timedelta(days=3)
    make_voucher(shop.channel, code="TET2027", **terms)
    checkout = shop_checkout(shop)
    result = _add(api, checkout, code)
    expected = "INVALID" if code == "WRONG" else "VOUCHER_NOT_APPLICABLE"
    assert [(error["field"], error["code"]) for error in result["errors"]] == [("promoCode", expected)]
    assert result["checkout"] is None
    checkout.refresh_from_db()
    assert checkout.voucher_code == ""


def test_a_voucher_limited_to_a_producer(api, shop):
    make_voucher(shop.channel, producers=[shop.coffee.producer], discount_value_type="fixed", discount_value=20_000)
    result = _add(api, shop_checkout(shop), "TET2027")
    assert result["checkout"]["discount"]["amount"] == 20_000.0
    result = _add(api, shop_checkout(shop, coffee=0), "TET2027")
    assert [error["code"] for error in result["errors"]] == ["VOUCHER_NOT_APPLICABLE"]


def test_remove_by_code_or_by_voucher_id_and_refusals(api, shop):
    voucher = make_voucher(shop.channel)
    checkout = shop_checkout(shop)
    _add(api, checkout, "TET2027")

    def remove(**variables) -> dict:
        return api(REMOVE, {"id": _id(checkout), **variables})["checkoutRemovePromoCode"]

    assert [e["code"] for e in remove()["errors"]] == ["GRAPHQL_ERROR"]
    both = remove(promoCode="TET2027", promoCodeId=global_id("Voucher", voucher.pk))
    assert [e["code"] for e in both["errors"]] == ["GRAPHQL_ERROR"]
    assert [(e["field"], e["code"]) for e in remove(promoCode="NOPE")["errors"]] == [("promoCode", "NOT_FOUND")]
    wrong_type = remove(promoCodeId=global_id("Product", 1))["errors"]
    assert [(e["field"], e["code"]) for e in wrong_type] == [("promoCodeId", "NOT_FOUND")]
    result = remove(promoCodeId=global_id("Voucher", voucher.pk))
    assert result["errors"] == []
    assert (result["checkout"]["voucherCode"], result["checkout"]["discount"]["amount"]) == (None, 0.0)
    _add(api, checkout, "TET2027")
    result = remove(promoCode="tet2027")
    assert result["errors"] == [] and result["checkout"]["totalPrice"]["gross"]["amount"] == 370_000.0


def test_the_order_shows_its_discounts_and_voucher(api, shop):
    make_voucher(shop.channel, usage_limit=10)
    checkout = shop_checkout(shop)
    _add(api, checkout, "TET2027")
    _pay_cash(checkout)
    result = api(COMPLETE, {"id": _id(checkout)})["checkoutComplete"]
    assert result["errors"] == []
    order = result["order"]
    assert order["voucherCode"] == "TET2027"
    assert (order["subtotal"], order["total"], order["undiscountedTotal"]) == (
        {"gross": {"amount": 370_000.0}},
        {"gross": {"amount": 333_000.0}},
        {"gross": {"amount": 370_000.0}},
    )
    assert (order["discount"], order["discountName"], order["translatedDiscountName"]) == (
        {"amount": 37_000.0},
        "Khuyến mãi Tết",
        "Khuyến mãi Tết",  # the order is in Vietnamese
    )
    voucher = Voucher.objects.get()
    assert order["voucher"] == {
        "id": global_id("Voucher", voucher.pk),
        "name": "Khuyến mãi Tết",
        "code": "TET2027",
        "discountValueType": "PERCENTAGE",
        "discountValue": 10.0,
        "type": "ENTIRE_ORDER",
        "used": 1,
        "usageLimit": 10,
        "applyOncePerCustomer": False,
        "currency": "VND",
    }
    (discount,) = order["discounts"]
    assert float(discount.pop("value")) == 10  # PositiveDecimal: Saleor sends a number, payments.scalars a string
    assert {key: value for key, value in discount.items() if key != "id"} == {
        "type": "VOUCHER",
        "name": "Khuyến mãi Tết",
        "translatedName": "Khuyến mãi Tết",
        "valueType": "PERCENTAGE",
        "reason": None,
        "amount": {"amount": 37_000.0, "currency": "VND"},
        "total": {"amount": 37_000.0},
    }


def test_an_order_without_a_voucher(api, shop):
    checkout = shop_checkout(shop)
    _pay_cash(checkout)
    order = api(COMPLETE, {"id": _id(checkout)})["checkoutComplete"]["order"]
    assert (order["voucher"], order["voucherCode"], order["discounts"], order["discount"]) == (None, None, [], None)


def test_once_per_customer_refuses_the_same_email_again(api, shop):
    make_voucher(shop.channel, apply_once_per_customer=True)
    first = shop_checkout(shop)
    _add(api, first, "TET2027")
    _pay_cash(first)
    assert api(COMPLETE, {"id": _id(first)})["checkoutComplete"]["errors"] == []
    result = _add(api, shop_checkout(shop), "TET2027")
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("promoCode", "VOUCHER_NOT_APPLICABLE")]


def test_completion_refuses_a_voucher_that_no_longer_applies(api, shop):
    voucher = make_voucher(shop.channel)
    checkout = shop_checkout(shop)
    _add(api, checkout, "TET2027")
    voucher.end_date = timezone.now()
    voucher.save()
    _pay_cash(checkout)
    result = api(COMPLETE, {"id": _id(checkout)})["checkoutComplete"]
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("voucherCode", "VOUCHER_NOT_APPLICABLE")]
    assert result["order"] is None


def test_a_voucher_never_makes_an_unlisted_product_purchasable(api, shop):
    make_voucher(shop.channel, discount_value=100)
    checkout = shop_checkout(shop)
    _add(api, checkout, "TET2027")
    delist(shop.cashew)
    _pay_cash(checkout)
    result = api(COMPLETE, {"id": _id(checkout)})["checkoutComplete"]
    assert "PRODUCT_NOT_PUBLISHED" in {error["code"] for error in result["errors"]}
    assert result["order"] is None
    again = _add(api, checkout, "TET2027")
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("lines", "UNAVAILABLE_VARIANT_IN_CHANNEL")]
    assert again["errors"][0]["variants"] == [global_id("ProductVariant", shop.cashew_variant.pk)]


@pytest.mark.django_db(transaction=True)
def test_a_usage_limit_of_one_is_used_once_by_concurrent_orders(shop):
    voucher = make_voucher(shop.channel, usage_limit=1)
    checkouts = []
    for n in range(8):
        checkout = shop_checkout(shop, email=f"buyer{n}@example.test")
        checkout.voucher_code = "TET2027"
        checkout.save()
        _pay_cash(checkout)
        checkouts.append(checkout)
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
            results[index] = response.json()["data"]["checkoutComplete"]
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(i, _id(c))) for i, c in enumerate(checkouts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    placed = [result for result in results if result["order"]]
    refused = [[(e["field"], e["code"]) for e in result["errors"]] for result in results if not result["order"]]
    assert len(placed) == 1
    assert refused == [[("voucherCode", "VOUCHER_NOT_APPLICABLE")]] * 7
    voucher.refresh_from_db()
    assert voucher.used == 1
    assert Order.objects.filter(voucher=voucher).count() == 1
