"""Walk-in sales at the counter (issue 15): stock taken under the online checkout's row locks, the payment's figures,
the idempotency key, and the producers' shares in the payout ledger."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from marketplace.accounts.models import Role
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.counter.models import CounterPaymentMethod, CounterRefundMethod, CounterSale
from marketplace.counter.services import (
    CounterPayment,
    ReturnItem,
    SaleItem,
    counter_return_create,
    counter_sale_create,
)
from marketplace.inventory.models import Stock
from marketplace.ledger.models import JournalEntry
from marketplace.ledger.selectors import month_period, producer_statement
from marketplace.orders.models import Order
from payments.checkout import checkout_complete
from tests.factories import delist, make_user
from tests.marketplace.checkout.helpers import Shop, cash_pickup_checkout
from tests.marketplace.ledger.helpers import check_balanced

CASH = CounterPaymentMethod.CASH


def sell(shop: Shop, items: dict, *, payment: CounterPayment | None = None, key: str | None = None, by=None):
    return counter_sale_create(
        outlet=shop.tourist_site,
        by_user=by or make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site),
        items=[SaleItem(variant_id=variant.pk, quantity=quantity) for variant, quantity in items.items()],
        payment=payment or CounterPayment(method=CASH, cash_received=10_000_000),
        idempotency_key=key or uuid.uuid4().hex,
    )


def on_shelf(shop: Shop, variant) -> int:
    return Stock.objects.get(outlet=shop.tourist_site, variant=variant).quantity


@pytest.mark.django_db
def test_a_cash_sale_takes_the_goods_gives_the_change_and_credits_each_producer(shop):
    sale = sell(
        shop,
        {shop.coffee_variant: 2, shop.cashew_variant: 1},
        payment=CounterPayment(method=CASH, cash_received=600_000),
    )

    assert (sale.total_amount, sale.cash_received, sale.change_given) == (520_000, 600_000, 80_000)
    assert (on_shelf(shop, shop.coffee_variant), on_shelf(shop, shop.cashew_variant)) == (8, 9)
    assert sorted((line.product_name, line.quantity) for line in sale.lines.all()) == [
        ("Cà phê hạt Robusta", 2),
        ("Hạt điều rang muối", 1),
    ]
    assert JournalEntry.objects.filter(counter_sale=sale).count() == 2
    check_balanced()
    statement = producer_statement(producer=shop.coffee.producer, period=month_period(sale.created_at.date()))
    [line] = statement.sales
    assert (line.counter_receipt, line.goods, line.commission) == (sale.receipt_number, 300_000, -15_000)
    assert statement.closing_balance == 285_000  # 5 % commission


@pytest.mark.django_db
def test_the_same_key_sent_twice_is_one_sale(shop):
    staff = make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site)
    first = sell(shop, {shop.coffee_variant: 1}, key="counter-7f3a", by=staff)
    again = sell(shop, {shop.coffee_variant: 1}, key="counter-7f3a", by=staff)

    assert again.pk == first.pk
    assert on_shelf(shop, shop.coffee_variant) == 9
    assert CounterSale.objects.count() == 1


@pytest.mark.django_db
def test_cash_short_or_a_card_without_its_slip_is_refused_and_nothing_is_written(shop):
    with pytest.raises(DomainError) as short:
        sell(shop, {shop.coffee_variant: 1}, payment=CounterPayment(method=CASH, cash_received=100_000))
    assert short.value.details[0].code == "CASH_SHORT" and "150.000" in short.value.details[0].message
    with pytest.raises(DomainError) as no_slip:
        sell(shop, {shop.coffee_variant: 1}, payment=CounterPayment(method=CounterPaymentMethod.CARD_TERMINAL))
    assert no_slip.value.details[0].field == "slipReference"

    card = sell(
        shop,
        {shop.coffee_variant: 1},
        payment=CounterPayment(method=CounterPaymentMethod.CARD_TERMINAL, slip_reference="VCB 004512"),
    )
    assert (card.card_slip_reference, on_shelf(shop, shop.coffee_variant)) == ("VCB 004512", 9)
    assert CounterSale.objects.count() == 1


@pytest.mark.django_db
def test_a_product_without_a_valid_certificate_is_not_sold_at_the_counter_either(shop):
    delist(shop.cashew)

    with pytest.raises(DomainError) as refused:
        sell(shop, {shop.coffee_variant: 1, shop.cashew_variant: 1})

    assert [detail.code for detail in refused.value.details] == ["NOT_FOR_SALE"]
    assert "Hạt điều rang muối" in refused.value.details[0].message
    assert (on_shelf(shop, shop.coffee_variant), CounterSale.objects.count()) == (10, 0)


@pytest.mark.django_db
def test_units_promised_to_online_orders_are_not_sold_over_the_counter(shop):
    checkout = cash_pickup_checkout(shop, {shop.coffee_variant: 8}, email="online@example.test")
    checkout_complete(token=checkout.token, user=None)

    with pytest.raises(DomainError) as refused:
        sell(shop, {shop.coffee_variant: 3})

    assert refused.value.details[0].code == "INSUFFICIENT_STOCK" and "2 left" in refused.value.details[0].message
    assert sell(shop, {shop.coffee_variant: 2}).total_amount == 300_000


@pytest.mark.django_db
def test_only_this_outlets_staff_or_an_operator_sell_at_its_counter(shop):
    with pytest.raises(PermissionDenied):
        sell(shop, {shop.coffee_variant: 1}, by=make_user(Role.OUTLET_STAFF, outlet=shop.showroom))
    with pytest.raises(PermissionDenied):
        sell(shop, {shop.coffee_variant: 1}, by=make_user(Role.PRODUCER_STAFF, producer=shop.coffee.producer))
    assert sell(shop, {shop.coffee_variant: 1}, by=make_user(Role.OPERATOR)).total_amount == 150_000


@pytest.mark.django_db(transaction=True)
def test_twenty_walk_ins_and_twenty_online_buyers_of_the_last_ten_units_get_exactly_ten(shop):
    Stock.objects.filter(outlet=shop.tourist_site, variant=shop.coffee_variant).update(quantity=10)
    staff = make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site)
    checkouts = [
        cash_pickup_checkout(shop, {shop.coffee_variant: 1}, email=f"online{n}@example.test") for n in range(20)
    ]
    start = threading.Barrier(40)
    outcomes: list[str] = []
    lock = threading.Lock()

    def record(outcome: str) -> None:
        with lock:
            outcomes.append(outcome)

    def walk_in(n: int) -> None:
        try:
            start.wait()
            sell(shop, {shop.coffee_variant: 1}, key=f"walk-in-{n}", by=staff)
            record("sold")
        except DomainError as error:
            record(error.details[0].code)
        finally:
            connection.close()

    def online(checkout) -> None:
        try:
            start.wait()
            checkout_complete(token=checkout.token, user=None)
            record("ordered")
        except DomainError as error:
            record(error.details[0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=walk_in, args=(n,)) for n in range(20)]
    threads += [threading.Thread(target=online, args=(checkout,)) for checkout in checkouts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    succeeded = outcomes.count("sold") + outcomes.count("ordered")
    assert len(outcomes) == 40 and succeeded == 10
    assert set(outcomes) - {"sold", "ordered"} == {"INSUFFICIENT_STOCK"}
    stock = Stock.objects.get(outlet=shop.tourist_site, variant=shop.coffee_variant)
    assert (stock.quantity - stock.quantity_allocated, stock.quantity_available) == (0, 0)
    assert stock.quantity == 10 - outcomes.count("sold") and stock.quantity_allocated == outcomes.count("ordered")
    assert CounterSale.objects.count() + Order.objects.count() == 10


# --- returns ---


def give_back(sale, lines: dict, *, method=CounterRefundMethod.CASH, key: str | None = None, slip: str = ""):
    return counter_return_create(
        sale=sale,
        by_user=make_user(Role.OUTLET_STAFF, outlet=sale.outlet),
        items=[ReturnItem(sale_line_id=line.pk, quantity=quantity) for line, quantity in lines.items()],
        refund_method=method,
        idempotency_key=key or uuid.uuid4().hex,
        slip_reference=slip,
        reason="Hũ bị nứt",
    )


@pytest.mark.django_db
def test_a_return_puts_the_goods_back_refunds_and_reverses_the_producers_share(shop):
    sale = sell(shop, {shop.coffee_variant: 2, shop.cashew_variant: 1})
    coffee_line = sale.lines.get(variant=shop.coffee_variant)

    first = give_back(sale, {coffee_line: 1}, key="return-1")
    again = give_back(sale, {coffee_line: 1}, key="return-1")  # the same form sent twice

    assert (first.pk, first.refund_amount) == (again.pk, 150_000)
    assert on_shelf(shop, shop.coffee_variant) == 9
    period = month_period(sale.created_at.date())
    assert producer_statement(producer=shop.coffee.producer, period=period).closing_balance == 142_500
    with pytest.raises(DomainError) as too_many:
        give_back(sale, {coffee_line: 2})
    assert too_many.value.details[0].code == "RETURN_TOO_MANY" and "1 of 2" in too_many.value.details[0].message

    give_back(sale, {coffee_line: 1})

    assert on_shelf(shop, shop.coffee_variant) == 10
    assert producer_statement(producer=shop.coffee.producer, period=period).closing_balance == 0  # to the đồng
    check_balanced()


@pytest.mark.django_db
def test_a_return_after_the_allowed_days_or_a_card_refund_without_its_slip_is_refused(shop, settings):
    sale = sell(shop, {shop.coffee_variant: 1})
    line = sale.lines.get()
    with pytest.raises(DomainError) as no_slip:
        give_back(sale, {line: 1}, method=CounterRefundMethod.CARD_TERMINAL)
    assert no_slip.value.details[0].field == "slipReference"

    settings.OCOP_COUNTER_RETURN_DAYS = 7
    CounterSale.objects.filter(pk=sale.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    sale.refresh_from_db()
    with pytest.raises(DomainError) as late:
        give_back(sale, {line: 1})
    assert late.value.details[0].code == "RETURN_TOO_LATE"
    assert on_shelf(shop, shop.coffee_variant) == 9


# --- the close of the day ---


@pytest.mark.django_db
def test_the_close_of_day_matches_the_days_sales_returns_and_pickups_to_the_dong(shop):
    from marketplace.counter.day import day_close, day_figures
    from marketplace.orders.services import order_mark_ready_for_pickup
    from payments.services import order_hand_over_with_cash
    from tests.marketplace.checkout.helpers import place_cash_pickup_order

    staff = make_user(Role.OUTLET_STAFF, outlet=shop.tourist_site)
    cash_sale = sell(shop, {shop.coffee_variant: 2}, by=staff)  # 300.000 in cash
    card_sale = sell(
        shop,
        {shop.cashew_variant: 1},
        payment=CounterPayment(method=CounterPaymentMethod.CARD_TERMINAL, slip_reference="S1"),
        by=staff,
    )  # 220.000 by card
    give_back(cash_sale, {cash_sale.lines.get(): 1})  # 150.000 back in cash
    order = order_mark_ready_for_pickup(order=place_cash_pickup_order(shop), by_user=staff)  # 370.000 cash at pickup
    order_hand_over_with_cash(outlet=shop.tourist_site, code=order.pickup_code, by_user=staff, cash_amount=370_000)

    day = timezone.localdate(cash_sale.created_at)
    figures = day_figures(outlet=shop.tourist_site, day=day)

    assert (figures.sales_count, figures.cash_sales, figures.card_sales) == (2, 300_000, 220_000)
    assert (figures.cash_refunds, figures.online_handed_over, figures.online_cash) == (150_000, 1, 370_000)
    assert figures.cash_expected == 300_000 + 370_000 - 150_000
    assert card_sale.total_amount == 220_000

    closed = day_close(outlet=shop.tourist_site, day=day, by_user=staff, cash_counted=515_000)
    assert (closed.cash_expected, closed.difference) == (520_000, -5_000)
    with pytest.raises(DomainError, match="already closed"):
        day_close(outlet=shop.tourist_site, day=day, by_user=staff, cash_counted=520_000)


@pytest.mark.django_db
def test_receipt_numbers_follow_each_other_at_each_outlet(shop):
    first, second = sell(shop, {shop.coffee_variant: 1}), sell(shop, {shop.cashew_variant: 1})
    elsewhere = counter_sale_create(
        outlet=shop.showroom,
        by_user=make_user(Role.OUTLET_STAFF, outlet=shop.showroom),
        items=[SaleItem(variant_id=shop.coffee_variant.pk, quantity=1)],
        payment=CounterPayment(method=CASH, cash_received=10_000_000),
        idempotency_key="showroom-1",
    )

    assert (first.number, second.number, elsewhere.number) == (1, 2, 1)
    assert second.receipt_number == f"{shop.tourist_site.pk}-000002"
