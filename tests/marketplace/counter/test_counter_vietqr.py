"""VietQR at the counter (issue 15): the sale holds its goods while the buyer transfers; the bank's credit naming
"OCOP Q<sale>" pays it and posts the producers' shares; a buyer who walks away leaves a cancelled sale and the goods
back on the shelf; money that comes after the cancel waits for an operator to send back."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from marketplace.accounts.models import Role
from marketplace.core.errors import DomainError
from marketplace.counter.day import day_figures
from marketplace.counter.models import CounterPaymentMethod, CounterSaleStatus
from marketplace.counter.services import (
    CounterPayment,
    ReturnItem,
    counter_return_create,
    counter_sale_cancel,
    counter_sales_named,
    counter_transfers_cancel_unpaid,
)
from marketplace.ledger.models import JournalEntry
from payments.models import CreditSource, CreditStatus
from payments.transfers import IncomingCredit, credit_receive
from tests.factories import make_user
from tests.marketplace.counter.test_counter_sales import on_shelf, sell

VIETQR = CounterPayment(method=CounterPaymentMethod.VIETQR)


def credit(amount: int, description: str) -> IncomingCredit:
    return IncomingCredit(
        bank_reference=f"FT{uuid.uuid4().hex[:12]}",
        amount=amount,
        description=description,
        transacted_at=timezone.now(),
    )


@pytest.mark.django_db
def test_a_vietqr_sale_holds_its_goods_and_the_banks_credit_pays_it(shop):
    sale = sell(shop, {shop.coffee_variant: 2}, payment=VIETQR)

    assert sale.status == CounterSaleStatus.AWAITING_TRANSFER
    assert sale.transfer_reference == f"OCOPQ{sale.pk}"
    assert on_shelf(shop, shop.coffee_variant) == 8  # held for the buyer
    assert not JournalEntry.objects.filter(counter_sale=sale).exists()
    assert day_figures(outlet=shop.tourist_site, day=timezone.localdate()).sales_count == 0

    row, _ = credit_receive(
        credit(sale.total_amount, f"MBVCB.5512345.OCOP Q{sale.pk}.CT tu 0071000123456"),
        source=CreditSource.NOTIFICATION,
    )

    sale.refresh_from_db()
    assert (row.status, row.counter_sale_id, row.difference) == (CreditStatus.MATCHED, sale.pk, 0)
    assert sale.status == CounterSaleStatus.PAID and sale.paid_at is not None
    assert JournalEntry.objects.filter(counter_sale=sale).count() == 1
    figures = day_figures(outlet=shop.tourist_site, day=timezone.localdate(sale.paid_at))
    assert (figures.sales_count, figures.vietqr_sales, figures.cash_expected) == (1, sale.total_amount, 0)


@pytest.mark.django_db
def test_a_short_transfer_keeps_the_sale_waiting_until_the_rest_comes(shop):
    sale = sell(shop, {shop.coffee_variant: 1}, payment=VIETQR)

    short, _ = credit_receive(credit(100_000, f"ocop-q{sale.pk}"), source=CreditSource.NOTIFICATION)
    sale.refresh_from_db()
    assert (short.status, short.difference, sale.status) == (
        CreditStatus.SHORT,
        100_000 - sale.total_amount,
        "awaiting_transfer",
    )

    rest, _ = credit_receive(credit(sale.total_amount - 100_000, f"OCOPQ {sale.pk}"), source=CreditSource.NOTIFICATION)
    sale.refresh_from_db()
    assert (rest.status, sale.status, sale.transfer_received) == (CreditStatus.MATCHED, "paid", sale.total_amount)


@pytest.mark.django_db
def test_a_buyer_who_walks_away_leaves_the_goods_on_the_shelf_and_late_money_is_owed_back(shop):
    sale = sell(shop, {shop.coffee_variant: 3}, payment=VIETQR)
    made = sale.created_at

    assert counter_transfers_cancel_unpaid(now=made + datetime.timedelta(minutes=29)) == []
    assert counter_transfers_cancel_unpaid(now=made + datetime.timedelta(minutes=31)) == [sale.pk]

    sale.refresh_from_db()
    assert sale.status == CounterSaleStatus.CANCELED
    assert on_shelf(shop, shop.coffee_variant) == 10
    late, _ = credit_receive(credit(sale.total_amount, f"OCOPQ{sale.pk}"), source=CreditSource.NOTIFICATION)
    assert (late.status, late.counter_sale_id) == (CreditStatus.OVER, sale.pk)
    assert late.needs_operator and "owed back" in late.note
    assert not JournalEntry.objects.filter(counter_sale=sale).exists()


@pytest.mark.django_db
def test_staff_cancel_a_waiting_sale_but_not_a_paid_one_and_nothing_is_returned_before_it_is_paid(shop):
    staff = make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site)
    waiting = sell(shop, {shop.coffee_variant: 1}, payment=VIETQR, by=staff)
    line = waiting.lines.get()
    with pytest.raises(DomainError, match="not paid"):
        counter_return_create(
            sale=waiting,
            by_user=staff,
            items=[ReturnItem(sale_line_id=line.pk, quantity=1)],
            refund_method="cash",
            idempotency_key="r1",
        )
    assert counter_sale_cancel(sale=waiting, by_user=staff).status == CounterSaleStatus.CANCELED
    assert counter_sale_cancel(sale=waiting, by_user=staff).status == CounterSaleStatus.CANCELED  # twice is once
    assert on_shelf(shop, shop.coffee_variant) == 10

    paid = sell(shop, {shop.coffee_variant: 1}, by=staff)
    with pytest.raises(DomainError, match="return"):
        counter_sale_cancel(sale=paid, by_user=staff)


@pytest.mark.django_db
def test_a_counter_reference_is_never_read_as_an_orders_and_the_other_way_round(shop):
    sale = sell(shop, {shop.coffee_variant: 1}, payment=VIETQR)

    assert counter_sales_named(f"chuyen tien OCOP Q{sale.pk} cam on") == [sale.pk]
    assert counter_sales_named(f"OCOP {sale.pk}") == []  # an order's reference
    assert counter_sales_named("OCOPQ 99999999") == []  # no such sale


@pytest.mark.django_db
def test_the_trade_consoles_outlet_days_count_a_vietqr_sale_once_it_is_paid(shop):
    from marketplace.counter.selectors import outlet_days
    from marketplace.outlets.models import Outlet

    sale = sell(shop, {shop.coffee_variant: 1}, payment=VIETQR)
    today = timezone.localdate()
    outlets = Outlet.objects.filter(pk=shop.tourist_site.pk)
    assert outlet_days(outlets=outlets, start=today, end=today) == []

    credit_receive(credit(sale.total_amount, f"OCOPQ{sale.pk}"), source=CreditSource.NOTIFICATION)

    [row] = outlet_days(outlets=outlets, start=today, end=today)
    assert row.figures == day_figures(outlet=shop.tourist_site, day=today)
    assert (row.figures.sales_count, row.figures.vietqr_sales) == (1, sale.total_amount)


@pytest.mark.django_db(transaction=True)
def test_the_demos_bank_pays_a_counter_sale(live_server, shop):
    import io

    from django.core.management import call_command

    sale = sell(shop, {shop.coffee_variant: 1}, payment=VIETQR)
    out = io.StringIO()

    call_command("bank_credit", counter_sale=sale.pk, url=f"{live_server.url}/payments/bank/webhook/", stdout=out)

    assert '"status": "matched"' in out.getvalue()
    sale.refresh_from_db()
    assert sale.status == CounterSaleStatus.PAID
