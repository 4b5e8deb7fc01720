"""Vouchers on a checkout and on the order it becomes: refusals, the discount, the copy the order keeps, the
payouts, the usage counted once under the voucher's lock."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from marketplace.catalogue.models import Collection
from marketplace.checkout.selectors import checkout_info
from marketplace.checkout.services import (
    checkout_add_promo_code,
    checkout_lines_update,
    checkout_remove_promo_code,
)
from marketplace.core.errors import DomainError
from marketplace.discounts.models import VoucherCustomer
from marketplace.events.models import Event
from marketplace.orders.models import Order
from tests.factories import delist
from tests.marketplace.discounts.helpers import make_voucher, pay_cash_and_complete, shop_checkout


def _refusal(error: DomainError) -> tuple[str, str | None, str]:
    (detail,) = error.details
    return str(detail.code), detail.field, detail.extra.get("reason", "")


def test_a_code_applies_in_any_case_and_takes_ten_percent_off(shop):
    make_voucher(shop.channel, code="TET2027")
    checkout = checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="  tet2027 ")
    assert checkout.voucher_code == "TET2027"
    info = checkout_info(checkout=checkout)
    assert (info.subtotal, info.discount, info.total) == (370_000, 37_000, 333_000)


def test_an_unknown_code_is_invalid(shop):
    with pytest.raises(DomainError) as refused:
        checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="NOPE")
    assert _refusal(refused.value) == ("INVALID", "promoCode", "")


@pytest.mark.parametrize(
    ("terms", "reason"),
    [
        ({"start_date": timezone.now() + datetime.timedelta(days=1)}, "not_started"),
        (
            {
                "start_date": timezone.now() - datetime.timedelta(days=10),
                "end_date": timezone.now() - datetime.timedelta(days=1),
            },
            "expired",
        ),
        ({"min_spent_amount": 400_000}, "minimum_not_reached"),
        ({"usage_limit": 1, "used": 1}, "used_up"),
    ],
)
def test_a_voucher_that_does_not_apply_is_refused_with_its_reason(shop, terms, reason):
    make_voucher(shop.channel, **terms)
    with pytest.raises(DomainError) as refused:
        checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="TET2027")
    assert _refusal(refused.value) == ("VOUCHER_NOT_APPLICABLE", "promoCode", reason)


def test_a_voucher_limited_to_a_producer_discounts_only_their_lines(shop):
    make_voucher(shop.channel, producers=[shop.cashew.producer], discount_value=20)
    checkout = checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="TET2027")
    info = checkout_info(checkout=checkout)
    assert info.discount == 44_000
    shares = {line.product.pk: info.voucher.discount_of(str(line.line.pk)) for line in info.lines}
    assert shares == {shop.coffee.pk: 0, shop.cashew.pk: 44_000}


def test_a_voucher_limited_to_a_collection_or_a_product(shop):
    collection = Collection.objects.create(name="Cà phê", slug="ca-phe")
    collection.products.add(shop.coffee)
    make_voucher(shop.channel, code="COFFEE", collections=[collection])
    make_voucher(shop.channel, code="CASHEW", products=[shop.cashew], discount_value_type="fixed", discount_value=5_000)
    checkout = checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="coffee")
    assert checkout_info(checkout=checkout).discount == 15_000
    checkout = checkout_add_promo_code(checkout=checkout, promo_code="cashew")  # replaces the first
    assert checkout.voucher_code == "CASHEW"
    assert checkout_info(checkout=checkout).discount == 5_000


def test_a_voucher_for_products_not_in_the_cart_is_refused(shop):
    make_voucher(shop.channel, products=[shop.cashew])
    with pytest.raises(DomainError) as refused:
        checkout_add_promo_code(checkout=shop_checkout(shop, cashew=0), promo_code="TET2027")
    assert _refusal(refused.value) == ("VOUCHER_NOT_APPLICABLE", "promoCode", "nothing_eligible")


def test_removing_by_code_or_voucher_id_and_refusals(shop):
    voucher = make_voucher(shop.channel)
    other = make_voucher(shop.channel, code="OTHER")
    checkout = checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="TET2027")
    with pytest.raises(DomainError) as refused:
        checkout_remove_promo_code(checkout=checkout, promo_code="OTHER")
    assert _refusal(refused.value) == ("INVALID", "promoCode", "")
    with pytest.raises(DomainError) as refused:
        checkout_remove_promo_code(checkout=checkout, promo_code="NEVER-HEARD")
    assert _refusal(refused.value) == ("NOT_FOUND", "promoCode", "")
    with pytest.raises(DomainError) as refused:
        checkout_remove_promo_code(checkout=checkout, voucher_id=other.pk)
    assert _refusal(refused.value) == ("NOT_FOUND", "promoCodeId", "")
    checkout = checkout_remove_promo_code(checkout=checkout, voucher_id=voucher.pk)
    assert checkout.voucher_code == ""
    checkout = checkout_add_promo_code(checkout=checkout, promo_code="TET2027")
    checkout = checkout_remove_promo_code(checkout=checkout, promo_code="tet2027")
    assert checkout_info(checkout=checkout).discount == 0


def test_the_order_keeps_the_discount_and_the_payouts_show_who_pays(shop):
    make_voucher(shop.channel, paid_by="producer", producers=[shop.cashew.producer], discount_value=10)
    checkout = checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="TET2027")
    order = pay_cash_and_complete(checkout)
    order = Order.objects.get(pk=order.pk)
    assert (order.subtotal_amount, order.discount_amount, order.total_amount) == (370_000, 22_000, 348_000)
    assert order.voucher_code == "TET2027" and order.voucher is not None
    (discount,) = order.discounts.all()
    assert (discount.amount, discount.name, discount.value_type, discount.value) == (
        22_000,
        "Khuyến mãi Tết",
        "percentage",
        10,
    )
    lines = {line.producer_id: line.discount_amount for line in order.lines.all()}
    assert lines == {shop.coffee.producer_id: 0, shop.cashew.producer_id: 22_000}
    payouts = {
        f.producer_id: (f.subtotal_amount, f.commission_amount, f.discount_amount, f.discount_paid_by, f.payout_amount)
        for f in order.fulfillments.all()
    }
    coffee_commission = payouts[shop.coffee.producer_id][1]
    cashew_commission = payouts[shop.cashew.producer_id][1]
    assert payouts[shop.coffee.producer_id] == (150_000, coffee_commission, 0, "", 150_000 - coffee_commission)
    assert payouts[shop.cashew.producer_id] == (
        220_000,
        cashew_commission,
        22_000,
        "producer",
        220_000 - cashew_commission - 22_000,
    )
    order.voucher.refresh_from_db()
    assert order.voucher.used == 1


def test_a_platform_paid_discount_leaves_the_payouts_as_they_were(shop):
    make_voucher(shop.channel, paid_by="platform", discount_value_type="fixed", discount_value=37_000)
    order = pay_cash_and_complete(checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="TET2027"))
    assert order.total_amount == 333_000
    fulfillments = list(order.fulfillments.all())
    assert sum(f.discount_amount for f in fulfillments) == 37_000
    assert {f.discount_paid_by for f in fulfillments} == {"platform"}
    assert all(f.payout_amount == f.subtotal_amount - f.commission_amount for f in fulfillments)


def test_once_per_customer_by_email(shop):
    make_voucher(shop.channel, apply_once_per_customer=True)
    pay_cash_and_complete(checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="TET2027"))
    assert VoucherCustomer.objects.filter(customer_email="buyer@example.test").count() == 1
    with pytest.raises(DomainError) as refused:
        checkout_add_promo_code(checkout=shop_checkout(shop, email="Buyer@Example.test"), promo_code="TET2027")
    assert _refusal(refused.value) == ("VOUCHER_NOT_APPLICABLE", "promoCode", "already_used")
    checkout_add_promo_code(checkout=shop_checkout(shop, email="someone@example.test"), promo_code="TET2027")


def test_place_order_checks_the_voucher_again(shop):
    voucher = make_voucher(shop.channel, min_spent_amount=300_000)
    checkout = checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="TET2027")
    cashew_line = checkout.lines.get(variant=shop.cashew_variant)
    checkout_lines_update(checkout=checkout, quantities={str(cashew_line.pk): 0})  # 150.000 ₫ left
    assert checkout_info(checkout=checkout).discount == 0
    with pytest.raises(DomainError) as refused:
        pay_cash_and_complete(checkout)
    assert _refusal(refused.value) == ("VOUCHER_NOT_APPLICABLE", "voucherCode", "minimum_not_reached")
    voucher.refresh_from_db()
    assert voucher.used == 0 and not Order.objects.exists()


def test_a_voucher_used_up_meanwhile_refuses_the_order(shop):
    voucher = make_voucher(shop.channel, usage_limit=1)
    first = checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="TET2027")
    second = checkout_add_promo_code(checkout=shop_checkout(shop, email="b@example.test"), promo_code="TET2027")
    pay_cash_and_complete(first)
    with pytest.raises(DomainError) as refused:
        pay_cash_and_complete(second)
    assert _refusal(refused.value) == ("VOUCHER_NOT_APPLICABLE", "voucherCode", "used_up")
    voucher.refresh_from_db()
    assert voucher.used == 1


def test_a_voucher_never_makes_an_unlisted_product_purchasable(shop):
    make_voucher(shop.channel, discount_value=100)
    checkout = checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="TET2027")
    delist(shop.cashew)
    info = checkout_info(checkout=checkout)
    assert info.discount == 150_000  # only the coffee, still buyable, is discounted
    with pytest.raises(DomainError) as refused:
        pay_cash_and_complete(checkout)
    assert "PRODUCT_NOT_PUBLISHED" in {str(detail.code) for detail in refused.value.details}
    assert not Order.objects.exists()
    with pytest.raises(DomainError) as refused:  # and no code is applied to a cart holding it (as Saleor)
        checkout_add_promo_code(checkout=checkout, promo_code="TET2027")
    assert _refusal(refused.value)[:2] == ("UNAVAILABLE_VARIANT_IN_CHANNEL", "lines")


def test_the_confirmation_email_shows_the_discount(shop, mailoutbox):
    from marketplace.orders import emails

    make_voucher(shop.channel, discount_value_type="fixed", discount_value=20_000)
    order = pay_cash_and_complete(checkout_add_promo_code(checkout=shop_checkout(shop), promo_code="TET2027"))
    mailoutbox.clear()
    emails.send_order_confirmation(Order.objects.get(pk=order.pk))
    [message] = mailoutbox
    assert "Giảm giá (TET2027): −20.000 ₫" in message.body
    assert "Tổng cộng: 350.000 ₫" in message.body
    assert "−20.000 ₫" in message.alternatives[0][0]


@pytest.mark.parametrize(("first", "last", "reason"), [(2, 4, "not_started"), (-4, -2, "expired"), (-1, 1, None)])
def test_an_events_voucher_applies_only_on_the_events_days(shop, first, last, reason):
    today = timezone.localdate()
    fair = Event.objects.create(
        name="Hội chợ OCOP",
        slug="hoi-cho",
        starts_on=today + datetime.timedelta(days=first),
        ends_on=today + datetime.timedelta(days=last),
        venue="Biên Hòa",
    )
    make_voucher(shop.channel, event=fair)
    checkout = shop_checkout(shop)
    if reason is None:
        checkout_add_promo_code(checkout=checkout, promo_code="TET2027")
        checkout.refresh_from_db()
        assert checkout.voucher_code == "TET2027"
        return
    with pytest.raises(DomainError) as refused:
        checkout_add_promo_code(checkout=checkout, promo_code="TET2027")
    assert _refusal(refused.value) == ("VOUCHER_NOT_APPLICABLE", "promoCode", reason)
