"""Property-based: after any sequence of orders, payments, handovers, shipments, cancellations, refunds (full and
partial) and paid payout runs, the ledger balances, each producer's statement closes at the sum of its postings,
each fulfilment's sale is posted once (and only once handed over or shipped), and nothing is paid out twice."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from marketplace.core.dates import local_today
from marketplace.core.errors import DomainError
from marketplace.inventory.models import Stock
from marketplace.ledger.models import EntryKind, JournalEntry, Posting
from marketplace.ledger.payouts import payout_run_create, payout_run_export, payout_run_mark_paid
from marketplace.ledger.selectors import Period, producer_balances, producer_statement
from marketplace.orders.models import FulfillmentStatus, Order, OrderStatus
from marketplace.orders.services import CANCELABLE, order_cancel
from tests.marketplace.discounts.helpers import make_voucher
from tests.marketplace.ledger.helpers import (
    check_balanced,
    give_bank_details,
    hand_over,
    operator,
    pay,
    payable_sum,
    place,
    refund,
    ship,
)

VOUCHERS = ("", "NEN-TANG", "NHA-SX")  # none, the platform's, the producers'

place_op = st.tuples(
    st.just("place"),
    st.integers(0, 2),
    st.integers(0, 2),
    st.booleans(),
    st.sampled_from(VOUCHERS),
).filter(lambda op: op[1] + op[2] > 0)
order_op = st.tuples(st.sampled_from(["pay", "hand_over", "ship", "cancel"]), st.integers(0, 20), st.integers(0, 1))
refund_op = st.tuples(st.just("refund"), st.integers(0, 20), st.integers(1, 100))
payout_op = st.tuples(st.just("payout"), st.booleans(), st.booleans())
operations = st.lists(st.one_of(place_op, order_op, refund_op, payout_op), min_size=1, max_size=14)


def _apply(shop, orders: list[Order], op: tuple) -> None:
    name = op[0]
    if name == "place":
        _, coffee, cashew, delivery, code = op
        orders.append(place(shop, coffee=coffee, cashew=cashew, delivery=delivery, code=code))
        return
    if name == "payout":
        _payout(shop, op)
        return
    if not orders:
        return
    order = orders[op[1] % len(orders)]
    order.refresh_from_db()
    if name == "pay" and order.status != OrderStatus.CANCELED:
        pay(order)
    elif name == "hand_over" and order.is_pickup and order.status == OrderStatus.UNFULFILLED:
        hand_over(order)
    elif name == "ship" and not order.is_pickup and order.status == OrderStatus.UNFULFILLED:
        parts = list(order.fulfillments.filter(status=FulfillmentStatus.PENDING).order_by("pk"))
        if parts:
            ship(parts[op[2] % len(parts)])
    elif name == "cancel" and order.status in CANCELABLE:
        try:
            order_cancel(order=order)
        except DomainError:  # a delivery with a part already shipped is refunded, not canceled
            assert order.fulfillments.filter(status=FulfillmentStatus.SHIPPED).exists()
    elif name == "refund":
        _refund(order, percent=op[2])


def _refund(order: Order, *, percent: int) -> None:
    if order.total_charged_amount == 0 and order.status != OrderStatus.CANCELED:
        order = pay(order)
    left = order.total_charged_amount - order.total_refunded_amount
    if left > 0:
        refund(order, max(left * percent // 100, 1))


def _payout(shop, op: tuple) -> None:
    chosen = [product.producer_id for product, wanted in zip((shop.coffee, shop.cashew), op[1:], strict=True) if wanted]
    owed = producer_balances(producer_ids=chosen)
    payable = [producer_id for producer_id in chosen if owed.get(producer_id, 0) > 0]
    if payable:
        run = payout_run_create(producer_ids=payable, by_user=operator())
        run = payout_run_export(run=run, by_user=operator())
        payout_run_mark_paid(run=run, bank_reference=f"LO-{run.pk}", by_user=operator())
        # What was paid out never exceeds what was earned less what was refunded, when it is paid: nothing twice.
        after = producer_balances(producer_ids=payable)
        assert all(after[producer_id] == 0 for producer_id in payable)


def _check_invariants(shop) -> None:
    check_balanced()
    everything = Period(datetime.date(2000, 1, 1), local_today() + datetime.timedelta(days=1))
    for product in (shop.coffee, shop.cashew):
        producer_id = product.producer_id
        statement = producer_statement(producer=product.producer, period=everything)
        assert statement.opening_balance == 0
        assert statement.closing_balance == -payable_sum(producer_id)
        # A refund after a payout may leave the producer owing (a negative balance, taken from its next sales);
        # a payout never pays more than was owed: every paid run left its producers at exactly 0 (`_payout`).
        earned = sum(line.net for line in statement.sales) + sum(line.net for line in statement.refunds)
        assert -statement.payouts_total <= max(earned, 0) + _refunded_after_payouts(producer_id)
    sales = JournalEntry.objects.filter(kind=EntryKind.SALE).values("fulfillment_id").annotate(n=Count("pk"))
    assert all(row["n"] == 1 for row in sales)
    sold = {row["fulfillment_id"] for row in sales}
    from marketplace.orders.models import Fulfillment

    handed_over = set(
        Fulfillment.objects.filter(status__in=[FulfillmentStatus.SHIPPED, FulfillmentStatus.FULFILLED]).values_list(
            "pk", flat=True
        )
    )
    assert sold == handed_over
    payouts = JournalEntry.objects.filter(kind=EntryKind.PAYOUT).values("payout_run_id", "producer_id")
    assert payouts.annotate(n=Count("pk")).filter(n__gt=1).count() == 0
    canceled = Posting.objects.filter(entry__order__status=OrderStatus.CANCELED).aggregate(t=Sum("amount"))["t"]
    assert canceled is None  # orders canceled before handover post nothing


def _refunded_after_payouts(producer_id: int) -> int:
    """What refunds took back from the producer after its last payout (already paid out, so owed back)."""
    last = JournalEntry.objects.filter(kind=EntryKind.PAYOUT, producer_id=producer_id).order_by("-pk").first()
    if last is None:
        return 0
    later = Posting.objects.filter(
        entry__kind=EntryKind.REFUND, entry__pk__gt=last.pk, account__producer_id=producer_id
    ).aggregate(t=Sum("amount"))["t"]
    return later or 0


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(ops=[("place", 1, 1, False, ""), ("hand_over", 0, 0), ("payout", True, True), ("refund", 0, 100)])
@example(ops=[("place", 1, 2, True, "NHA-SX"), ("ship", 0, 1), ("refund", 0, 40), ("ship", 0, 0), ("refund", 0, 100)])
@example(ops=[("place", 2, 0, False, "NEN-TANG"), ("pay", 0, 0), ("cancel", 0, 0), ("refund", 0, 100)])
@example(ops=[("place", 1, 1, True, ""), ("ship", 0, 0), ("cancel", 0, 0)])
@given(ops=operations)
def test_the_ledger_keeps_its_invariants_after_any_sequence(shop, ops):
    with transaction.atomic():
        Stock.objects.update(quantity=1_000)
        make_voucher(shop.channel, code="NEN-TANG", paid_by="platform", discount_value=10)
        make_voucher(shop.channel, code="NHA-SX", paid_by="producer", discount_value=100, discount_value_type="fixed")
        for product in (shop.coffee, shop.cashew):
            give_bank_details(product.producer)
        orders: list[Order] = []
        for op in ops:
            _apply(shop, orders, op)
        _check_invariants(shop)
        transaction.set_rollback(True)
