"""Acceptance (issue 14): the demo cooperative's statement for the current month matches its orders to the đồng,
and a payout run paid zeroes its balance."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.catalogue.services import products_refresh_listing
from marketplace.core.dates import local_today
from marketplace.demo.seed import demo_cooperative
from marketplace.ledger.models import EntryKind, JournalEntry
from marketplace.ledger.payouts import payout_details_update, payout_run_create, payout_run_export, payout_run_mark_paid
from marketplace.ledger.selectors import Period, month_period, producer_statement
from marketplace.orders.models import Fulfillment, Order, OrderStatus
from marketplace.orders.services import fulfillment_mark_shipped, order_hand_over, order_mark_ready_for_pickup
from tests.factories import make_certification
from tests.marketplace.ledger.helpers import check_balanced, operator, pay

pytestmark = pytest.mark.django_db


def _seed_and_hand_over_everything(catalogue) -> None:
    for product in catalogue.values():
        make_certification(product, stars=4)
    products_refresh_listing(product_ids=[product.pk for product in catalogue.values()], trigger="staff")
    call_command("seed_demo", stdout=io.StringIO())
    coop_staff = User.objects.get(email="coop@ocop.example")
    outlet_staff = User.objects.get(email="outlet@ocop.example")
    for order in Order.objects.order_by("number"):
        if order.is_pickup:
            if order.status == OrderStatus.UNFULFILLED:
                order = order_mark_ready_for_pickup(order=order, by_user=outlet_staff)
            order_hand_over(order=pay(order), by_user=outlet_staff)
        else:
            for part in order.fulfillments.all():
                staff = coop_staff if part.producer_id == coop_staff.producer_id else operator()
                fulfillment_mark_shipped(fulfillment=part, by_user=staff, tracking_number="VNPOST-1")


def test_the_demo_cooperatives_statement_matches_its_orders_and_a_paid_run_zeroes_it(catalogue):
    _seed_and_hand_over_everything(catalogue)
    cooperative = demo_cooperative()
    assert cooperative is not None
    # The current month: the one the entries were posted in (two, should the run cross a month's last midnight).
    days = [timezone.localdate(entry.posted_at) for entry in JournalEntry.objects.all()]
    period = Period(month_period(min(days)).start, month_period(max(days)).end)
    assert month_period(local_today()).end >= period.end
    fulfillments = list(Fulfillment.objects.filter(producer=cooperative).select_related("order"))
    assert fulfillments, "the demo holds an order of the cooperative"

    statement = producer_statement(producer=cooperative, period=period)
    expected = sorted(
        (f.order.number, f.fulfillment_order, f.subtotal_amount, f.commission_amount, f.payout_amount)
        for f in fulfillments
    )
    shown = sorted(
        (line.order_number, line.fulfillment_number, line.goods, -line.commission, line.net) for line in statement.sales
    )
    assert shown == expected
    assert statement.opening_balance == 0
    assert statement.sales_total == sum(f.subtotal_amount for f in fulfillments)
    assert statement.closing_balance == sum(f.payout_amount for f in fulfillments)
    assert (statement.refunds, statement.payouts) == ([], [])

    coop_staff = User.objects.get(email="coop@ocop.example")
    payout_details_update(
        producer=cooperative,
        by_user=coop_staff,
        bank_bin="970405",
        bank_name="Agribank",
        account_number="5900205123456",
        account_holder="HTX DV Nông nghiệp Ca cao Suối Cát",
    )
    run = payout_run_create(producer_ids=[cooperative.pk], by_user=operator())
    run = payout_run_mark_paid(
        run=payout_run_export(run=run, by_user=operator()), bank_reference="AGR-2026-LO-7", by_user=operator()
    )
    paid = producer_statement(producer=cooperative, period=period)
    assert paid.closing_balance == 0
    assert [(line.payout_run_id, -line.net) for line in paid.payouts] == [(run.pk, statement.closing_balance)]
    assert JournalEntry.objects.filter(kind=EntryKind.PAYOUT, producer=cooperative).count() == 1
    check_balanced()
