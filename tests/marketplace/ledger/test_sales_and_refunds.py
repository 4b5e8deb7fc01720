"""Sales post when goods are handed over or shipped, once; refunds reverse them; fees are the platform's; the
ledger refuses changes and unbalanced entries."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.test.utils import override_settings

from marketplace.core.errors import DomainError
from marketplace.ledger.fees import fee_for, gateway_fee
from marketplace.ledger.models import AccountKind, EntryKind, JournalEntry, Posting, PostingItem
from marketplace.ledger.postings import PostingLine
from marketplace.ledger.selectors import producer_balances
from marketplace.ledger.services import entry_post, fulfillments_sale_post, gateway_fee_post
from marketplace.orders.services import order_cancel
from tests.marketplace.discounts.helpers import make_voucher
from tests.marketplace.ledger.helpers import check_balanced, hand_over, pay, place, refund, ship

pytestmark = pytest.mark.django_db


def _owed(producer_id: int) -> int:
    return producer_balances(producer_ids=[producer_id]).get(producer_id, 0)


def test_a_pickup_handed_over_posts_each_producers_sale_at_its_payout(shop):
    order = hand_over(place(shop))
    fulfillments = list(order.fulfillments.all())
    assert JournalEntry.objects.filter(kind=EntryKind.SALE).count() == 2
    for fulfillment in fulfillments:
        assert _owed(fulfillment.producer_id) == fulfillment.payout_amount
        entry = JournalEntry.objects.get(key=f"sale:fulfillment:{fulfillment.pk}")
        assert (entry.order_id, entry.fulfillment_id, entry.producer_id) == (
            order.pk,
            fulfillment.pk,
            fulfillment.producer_id,
        )
    commission = Posting.objects.filter(account__kind=AccountKind.PLATFORM_COMMISSION).aggregate(t=Sum("amount"))["t"]
    assert -commission == sum(f.commission_amount for f in fulfillments)
    check_balanced()


def test_a_sale_posts_once_however_often_it_is_announced(shop):
    order = hand_over(place(shop))
    ids = list(order.fulfillments.values_list("pk", flat=True))
    assert fulfillments_sale_post(order_id=order.pk, fulfillment_ids=ids) == []
    assert JournalEntry.objects.count() == 2


def test_a_delivery_posts_each_part_when_it_is_shipped(shop):
    order = place(shop, delivery=True)
    coffee, cashew = (order.fulfillments.get(producer=p.producer) for p in (shop.coffee, shop.cashew))
    ship(coffee)
    assert _owed(shop.coffee.producer_id) == coffee.payout_amount
    assert _owed(shop.cashew.producer_id) == 0
    ship(cashew)
    assert _owed(shop.cashew.producer_id) == cashew.payout_amount
    # Shipping stays with the platform: nothing of it is posted.
    assert Posting.objects.filter(account__kind=AccountKind.COLLECTIONS).aggregate(t=Sum("amount"))["t"] == (
        order.subtotal_amount - order.discount_amount
    )
    check_balanced()


def test_an_order_canceled_before_handover_posts_nothing_even_when_refunded(shop):
    order = pay(place(shop))
    order_cancel(order=order)
    refund(order, order.total_amount)
    assert JournalEntry.objects.count() == 0


def test_a_delivery_with_a_part_shipped_can_no_longer_be_canceled_and_keeps_its_sale(shop):
    order = place(shop, delivery=True)
    coffee = order.fulfillments.get(producer=shop.coffee.producer)
    ship(coffee)
    with pytest.raises(DomainError) as refused:
        order_cancel(order=order)
    assert refused.value.details[0].code == "CANNOT_CANCEL_ORDER"
    order.refresh_from_db()
    assert order.status == "unfulfilled"
    assert _owed(shop.coffee.producer_id) == coffee.payout_amount


@pytest.mark.parametrize("paid_by", ["producer", "platform"])
def test_a_voucher_debits_whoever_pays_it(shop, paid_by):
    make_voucher(shop.channel, paid_by=paid_by, producers=[shop.cashew.producer], discount_value=10)
    order = hand_over(place(shop, code="TET2027"))
    cashew = order.fulfillments.get(producer=shop.cashew.producer)
    assert cashew.discount_amount == 22_000
    assert _owed(shop.cashew.producer_id) == cashew.payout_amount
    platform = Posting.objects.filter(account__kind=AccountKind.PLATFORM_DISCOUNTS).aggregate(t=Sum("amount"))["t"]
    assert (platform or 0) == (22_000 if paid_by == "platform" else 0)
    producer_discount = Posting.objects.filter(
        account__producer=shop.cashew.producer, item=PostingItem.DISCOUNT
    ).aggregate(t=Sum("amount"))["t"]
    assert (producer_discount or 0) == (22_000 if paid_by == "producer" else 0)
    check_balanced()


def test_a_full_refund_reverses_every_sale(shop):
    order = hand_over(place(shop))
    refund(order, order.total_amount)
    assert _owed(shop.coffee.producer_id) == 0 and _owed(shop.cashew.producer_id) == 0
    assert Posting.objects.filter(account__kind=AccountKind.PLATFORM_COMMISSION).aggregate(t=Sum("amount"))["t"] == 0
    check_balanced()


def test_partial_refunds_reverse_in_proportion_and_the_same_total_never_posts_twice(shop):
    order = hand_over(place(shop))  # coffee 150.000 + cashew 220.000
    refund(order, 37_000)  # a tenth
    coffee = order.fulfillments.get(producer=shop.coffee.producer)
    assert _owed(shop.coffee.producer_id) == coffee.payout_amount - coffee.payout_amount // 10
    entries = JournalEntry.objects.filter(kind=EntryKind.REFUND).count()
    fulfillments_sale_post(order_id=order.pk, fulfillment_ids=[coffee.pk])  # announced again: nothing new
    assert JournalEntry.objects.filter(kind=EntryKind.REFUND).count() == entries == 2
    refund(order, order.total_amount - 37_000)
    assert _owed(shop.coffee.producer_id) == 0 and _owed(shop.cashew.producer_id) == 0
    check_balanced()


def test_a_refund_before_a_part_ships_is_taken_from_it_when_it_ships(shop):
    order = place(shop, delivery=True)
    coffee, cashew = (order.fulfillments.get(producer=p.producer) for p in (shop.coffee, shop.cashew))
    ship(coffee)
    refund(order, order.total_amount)
    assert _owed(shop.coffee.producer_id) == 0
    ship(cashew)
    assert _owed(shop.cashew.producer_id) == 0
    assert JournalEntry.objects.filter(kind=EntryKind.SALE, fulfillment=cashew).exists()
    check_balanced()


def test_refunding_an_overcharge_takes_nothing_from_the_producers(shop):
    order = hand_over(place(shop))
    from marketplace.orders.services import order_payment_update

    order_payment_update(order=order, authorized=0, charged=2 * order.total_amount, refunded=order.total_amount)
    assert _owed(shop.coffee.producer_id) == order.fulfillments.get(producer=shop.coffee.producer).payout_amount


# --- fees -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "percent", "fixed", "fee"),
    [(390_000, "3.0", 0, 11_700), (100_001, "3.0", 0, 3_000), (50, "3.0", 0, 2), (0, "3.0", 0, 0), (10, "0", 20, 10)],
)
def test_a_fee_is_a_percent_rounded_half_up_plus_a_fixed_part(amount, percent, fixed, fee):
    from decimal import Decimal

    assert fee_for(amount, percent=Decimal(percent), fixed=fixed) == fee


@override_settings(OCOP_GATEWAY_FEES={"saleor.app.payment.stripe": ("3.0", 0), "vietqr": ("0", 1_100)})
def test_each_gateway_has_its_fee_and_others_cost_nothing():
    assert gateway_fee(gateway="saleor.app.payment.stripe", amount=200_000) == 6_000
    assert gateway_fee(gateway="vietqr", amount=200_000) == 1_100
    assert gateway_fee(gateway="ocop.payments.cash", amount=200_000) == 0


def test_a_gateway_fee_posts_once_on_the_platforms_accounts(shop):
    order = hand_over(place(shop))
    owed = _owed(shop.coffee.producer_id)
    entry = gateway_fee_post(order_id=order.pk, gateway="saleor.app.payment.stripe", amount=11_100, key="pi_123")
    assert entry is not None and entry.key == "fee:pi_123"
    assert gateway_fee_post(order_id=order.pk, gateway="saleor.app.payment.stripe", amount=11_100, key="pi_123") is None
    fees = Posting.objects.filter(account__kind=AccountKind.GATEWAY_FEES).aggregate(t=Sum("amount"))["t"]
    assert fees == 11_100 and _owed(shop.coffee.producer_id) == owed
    with pytest.raises(DomainError):
        gateway_fee_post(order_id=order.pk, gateway="saleor.app.payment.stripe", amount=-1, key="pi_124")
    check_balanced()


# --- the ledger keeps itself ----------------------------------------------------------------------------------


def test_an_unbalanced_entry_is_refused_by_the_service():
    with pytest.raises(DomainError) as refused:
        entry_post(
            key="x",
            kind=EntryKind.CORRECTION,
            lines=[
                PostingLine(AccountKind.COLLECTIONS, 100, PostingItem.ADJUSTMENT),
                PostingLine(AccountKind.PAYOUT_BANK, -99, PostingItem.ADJUSTMENT),
            ],
        )
    assert refused.value.details[0].code == "UNBALANCED"
    assert JournalEntry.objects.count() == 0


def test_the_database_refuses_an_unbalanced_entry_and_any_change(shop):
    hand_over(place(shop))
    posting = Posting.objects.first()
    assert posting is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.filter(pk=posting.pk).update(amount=posting.amount + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        JournalEntry.objects.filter(pk=posting.entry_id).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Posting.objects.create(entry_id=posting.entry_id, account_id=posting.account_id, amount=5, item="adjustment")
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ledger_posting_balanced IMMEDIATE")
