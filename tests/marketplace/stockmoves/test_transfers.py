"""Transfers between outlets (issue 15): asked for, sent (the goods leave the sender, never the units promised to
other orders), in transit at neither outlet, received (perhaps fewer: the shortfall kept); declined or cancelled
with nothing moved; an online order's promised units travelling with its goods; and a send racing a counter sale
for the last unit."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from marketplace.accounts.models import Role
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.counter.models import CounterPaymentMethod
from marketplace.counter.services import CounterPayment, SaleItem, counter_sale_create
from marketplace.inventory.models import Stock
from marketplace.orders.models import FulfillmentLine
from marketplace.orders.services import order_cancel, order_mark_ready_for_pickup
from marketplace.stockmoves.models import StockTransfer, TransferStatus
from marketplace.stockmoves.selectors import transfers_in_transit
from marketplace.stockmoves.transfers import (
    transfer_cancel,
    transfer_decline,
    transfer_receive,
    transfer_request,
    transfer_send,
)
from payments.checkout import checkout_complete
from payments.services import order_hand_over_with_cash
from tests.factories import make_user
from tests.marketplace.checkout.helpers import Shop, cash_pickup_checkout


def staff_of(outlet):
    return make_user(Role.OUTLET_STAFF, outlet=outlet)


def held(outlet, variant) -> tuple[int, int]:
    stock = Stock.objects.filter(outlet=outlet, variant=variant).first()
    return (stock.quantity, stock.quantity_allocated) if stock else (0, 0)


def ask(shop: Shop, quantity: int, *, variant=None, order=None, by=None, key=None) -> StockTransfer:
    """The showroom asks the tourist site for goods (coffee by default)."""
    return transfer_request(
        to_outlet=shop.showroom,
        from_outlet=shop.tourist_site,
        variant_id=(variant or shop.coffee_variant).pk,
        quantity=quantity,
        by_user=by or staff_of(shop.showroom),
        idempotency_key=key or uuid.uuid4().hex,
        order_id=order.pk if order else None,
    )


@pytest.mark.django_db
def test_asked_sent_in_transit_at_neither_then_received_with_a_shortfall(shop):
    showroom, site = staff_of(shop.showroom), staff_of(shop.tourist_site)
    transfer = ask(shop, 4, by=showroom, key="ask-1")
    assert ask(shop, 4, by=showroom, key="ask-1").pk == transfer.pk  # the form sent twice
    assert (transfer.status, held(shop.tourist_site, shop.coffee_variant)) == (TransferStatus.REQUESTED, (10, 0))

    transfer = transfer_send(transfer=transfer, by_user=site, quantity=3)
    assert (transfer.status, transfer.quantity_sent) == (TransferStatus.IN_TRANSIT, 3)
    assert held(shop.tourist_site, shop.coffee_variant) == (7, 0)
    assert held(shop.showroom, shop.coffee_variant) == (5, 0)
    assert [t.pk for t in transfers_in_transit(outlet_id=shop.showroom.pk)] == [transfer.pk]
    assert [t.pk for t in transfers_in_transit(outlet_id=shop.tourist_site.pk)] == [transfer.pk]
    assert transfer_send(transfer=transfer, by_user=site).quantity_sent == 3  # a second tap changes nothing

    with pytest.raises(DomainError) as too_many:
        transfer_receive(transfer=transfer, by_user=showroom, quantity=4)
    assert too_many.value.details[0].code == "TOO_MANY"
    transfer = transfer_receive(transfer=transfer, by_user=showroom, quantity=2)  # a jar broke on the way
    assert (transfer.status, transfer.quantity_received, transfer.shortfall) == (TransferStatus.RECEIVED, 2, 1)
    assert held(shop.showroom, shop.coffee_variant) == (7, 0)
    assert transfers_in_transit(outlet_id=shop.showroom.pk).count() == 0
    assert transfer_receive(transfer=transfer, by_user=showroom, quantity=1).quantity_received == 2


@pytest.mark.django_db
def test_received_at_an_outlet_that_held_none_makes_its_stock_row(shop):
    transfer = transfer_request(
        to_outlet=shop.showroom,
        from_outlet=shop.tourist_site,
        variant_id=shop.cashew_variant.pk,
        quantity=2,
        by_user=staff_of(shop.showroom),
        idempotency_key="k",
    )
    transfer_send(transfer=transfer, by_user=staff_of(shop.tourist_site))
    transfer_receive(transfer=transfer, by_user=staff_of(shop.showroom))
    assert (held(shop.tourist_site, shop.cashew_variant), held(shop.showroom, shop.cashew_variant)) == ((8, 0), (2, 0))


@pytest.mark.django_db
def test_declined_or_cancelled_requests_move_nothing_and_a_sent_one_cannot_be_cancelled(shop):
    declined = transfer_decline(transfer=ask(shop, 2), by_user=staff_of(shop.tourist_site), answer="Hết hàng trưng bày")
    assert (declined.status, declined.answer) == (TransferStatus.DECLINED, "Hết hàng trưng bày")
    with pytest.raises(DomainError) as late:
        transfer_send(transfer=declined, by_user=staff_of(shop.tourist_site))
    assert late.value.details[0].code == "WRONG_STATUS"

    cancelled = transfer_cancel(transfer=ask(shop, 2), by_user=staff_of(shop.showroom))
    assert cancelled.status == TransferStatus.CANCELED
    with pytest.raises(DomainError):
        transfer_decline(transfer=cancelled, by_user=staff_of(shop.tourist_site))

    sent = transfer_send(transfer=ask(shop, 2), by_user=staff_of(shop.tourist_site))
    with pytest.raises(DomainError) as too_late:
        transfer_cancel(transfer=sent, by_user=staff_of(shop.showroom))
    assert too_late.value.details[0].code == "WRONG_STATUS"
    assert held(shop.tourist_site, shop.coffee_variant) == (8, 0)


@pytest.mark.django_db
def test_each_outlet_acts_on_its_own_side_only(shop):
    site, showroom, other = staff_of(shop.tourist_site), staff_of(shop.showroom), staff_of(shop.warehouse)
    transfer = ask(shop, 1, by=showroom)
    with pytest.raises(PermissionDenied):  # the asking outlet does not send its own request
        transfer_send(transfer=transfer, by_user=showroom)
    with pytest.raises(PermissionDenied):
        transfer_decline(transfer=transfer, by_user=showroom)
    with pytest.raises(PermissionDenied):  # the asked outlet does not cancel the request
        transfer_cancel(transfer=transfer, by_user=site)
    for outsider in (other, make_user(Role.TRADE_STAFF)):
        with pytest.raises(PermissionDenied):
            transfer_send(transfer=transfer, by_user=outsider)
    with pytest.raises(PermissionDenied):  # nobody asks on another outlet's behalf
        ask(shop, 1, by=site)
    transfer_send(transfer=transfer, by_user=site)
    with pytest.raises(PermissionDenied):
        transfer_receive(transfer=transfer, by_user=site)
    transfer_receive(transfer=transfer, by_user=make_user(Role.OPERATOR))
    with pytest.raises(DomainError) as same:
        transfer_request(
            to_outlet=shop.showroom,
            from_outlet=shop.showroom,
            variant_id=shop.coffee_variant.pk,
            quantity=1,
            by_user=showroom,
            idempotency_key="x",
        )
    assert same.value.details[0].code == "SAME_OUTLET"


@pytest.mark.django_db
def test_units_promised_to_other_orders_are_never_sent_and_nothing_goes_negative(shop):
    checkout_complete(
        token=cash_pickup_checkout(shop, {shop.coffee_variant: 8}, email="o@example.test").token, user=None
    )
    transfer = ask(shop, 3)

    with pytest.raises(DomainError) as refused:
        transfer_send(transfer=transfer, by_user=staff_of(shop.tourist_site))
    [detail] = refused.value.details
    assert detail.code == "INSUFFICIENT_STOCK"
    assert "Cà phê hạt Robusta" in detail.message and "8 are promised to other online orders" in detail.message
    assert held(shop.tourist_site, shop.coffee_variant) == (10, 8)

    transfer_send(transfer=transfer, by_user=staff_of(shop.tourist_site), quantity=2)
    assert held(shop.tourist_site, shop.coffee_variant) == (8, 8)
    assert not Stock.objects.filter(quantity__lt=0).exists()


def _showroom_order_of_goods_elsewhere(shop: Shop):
    """An online order collected at the showroom of cashews, which the showroom does not hold: the console flags that
    its goods sit at another outlet."""
    checkout = cash_pickup_checkout(shop, {shop.cashew_variant: 2}, email="buyer@example.test")
    checkout.collection_point = shop.showroom
    checkout.save()
    order = checkout_complete(token=checkout.token, user=None)
    [line] = FulfillmentLine.objects.filter(fulfillment__order=order)
    assert line.stock.outlet_id != shop.showroom.pk
    return order, line


@pytest.mark.django_db
def test_an_orders_promised_units_travel_with_its_goods_and_it_is_handed_over_from_the_receivers_stock(shop):
    order, line = _showroom_order_of_goods_elsewhere(shop)
    source = line.stock.outlet
    before = held(source, shop.cashew_variant)
    showroom, sender = staff_of(shop.showroom), staff_of(source)
    transfer = transfer_request(
        to_outlet=shop.showroom,
        from_outlet=source,
        variant_id=shop.cashew_variant.pk,
        quantity=2,
        by_user=showroom,
        idempotency_key="for-order",
        order_id=order.pk,
    )

    transfer_send(transfer=transfer, by_user=sender)
    assert held(source, shop.cashew_variant) == (before[0] - 2, before[1] - 2)  # the promise travels too
    line.refresh_from_db()
    assert line.is_allocated is False

    transfer_receive(transfer=transfer, by_user=showroom)
    assert held(shop.showroom, shop.cashew_variant) == (2, 2)
    line.refresh_from_db()
    assert (line.stock.outlet_id, line.is_allocated, line.fulfillment.outlet_id) == (
        shop.showroom.pk,
        True,
        shop.showroom.pk,
    )

    order = order_mark_ready_for_pickup(order=order, by_user=showroom)
    order_hand_over_with_cash(
        outlet=shop.showroom, code=order.pickup_code, by_user=showroom, cash_amount=order.amount_due
    )
    assert held(shop.showroom, shop.cashew_variant) == (0, 0)
    assert held(source, shop.cashew_variant) == (before[0] - 2, before[1] - 2)
    assert not Stock.objects.filter(quantity__lt=0).exists()


@pytest.mark.django_db
def test_an_order_cancelled_while_its_goods_travel_leaves_them_as_plain_stock_at_the_receiver(shop):
    order, line = _showroom_order_of_goods_elsewhere(shop)
    source = line.stock.outlet
    transfer = transfer_request(
        to_outlet=shop.showroom,
        from_outlet=source,
        variant_id=shop.cashew_variant.pk,
        quantity=2,
        by_user=staff_of(shop.showroom),
        idempotency_key="k",
        order_id=order.pk,
    )
    transfer_send(transfer=transfer, by_user=staff_of(source))
    before = held(source, shop.cashew_variant)
    order_cancel(order=order, by_user=None, reason="test")
    assert held(source, shop.cashew_variant) == before  # nothing was promised there any more

    transfer_receive(transfer=transfer, by_user=staff_of(shop.showroom))
    assert held(shop.showroom, shop.cashew_variant) == (2, 0)


@pytest.mark.django_db
def test_a_linked_order_must_be_collected_at_the_asking_outlet(shop):
    order, _line = _showroom_order_of_goods_elsewhere(shop)
    with pytest.raises(DomainError) as refused:
        transfer_request(
            to_outlet=shop.tourist_site,
            from_outlet=shop.warehouse,
            variant_id=shop.cashew_variant.pk,
            quantity=2,
            by_user=staff_of(shop.tourist_site),
            idempotency_key="k",
            order_id=order.pk,
        )
    assert refused.value.details[0].field == "order"


@pytest.mark.django_db(transaction=True)
def test_a_send_and_a_counter_sale_racing_for_the_last_unit_never_both_get_it(shop):
    Stock.objects.filter(outlet=shop.tourist_site, variant=shop.coffee_variant).update(quantity=1)
    site = staff_of(shop.tourist_site)
    transfers = [ask(shop, 1) for _ in range(5)]
    start = threading.Barrier(10)
    outcomes: list[str] = []
    lock = threading.Lock()

    def record(outcome: str) -> None:
        with lock:
            outcomes.append(outcome)

    def send(transfer: StockTransfer) -> None:
        try:
            start.wait()
            transfer_send(transfer=transfer, by_user=site)
            record("sent")
        except DomainError as error:
            record(error.details[0].code)
        finally:
            connection.close()

    def sell(n: int) -> None:
        try:
            start.wait()
            counter_sale_create(
                outlet=shop.tourist_site,
                by_user=site,
                items=[SaleItem(variant_id=shop.coffee_variant.pk, quantity=1)],
                payment=CounterPayment(method=CounterPaymentMethod.CASH, cash_received=200_000),
                idempotency_key=f"walk-in-{n}",
            )
            record("sold")
        except DomainError as error:
            record(error.details[0].code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(transfer,)) for transfer in transfers]
    threads += [threading.Thread(target=sell, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(outcomes) == 10 and outcomes.count("sent") + outcomes.count("sold") == 1
    assert set(outcomes) - {"sent", "sold"} == {"INSUFFICIENT_STOCK"}
    assert held(shop.tourist_site, shop.coffee_variant) == (0, 0)
    assert StockTransfer.objects.filter(status=TransferStatus.IN_TRANSIT).count() == outcomes.count("sent")


@pytest.mark.django_db
def test_an_orders_goods_are_asked_for_once_while_a_transfer_is_under_way(shop):
    order, line = _showroom_order_of_goods_elsewhere(shop)
    showroom = staff_of(shop.showroom)

    def ask_for_order(key: str) -> StockTransfer:
        return transfer_request(
            to_outlet=shop.showroom,
            from_outlet=line.stock.outlet,
            variant_id=shop.cashew_variant.pk,
            quantity=2,
            by_user=showroom,
            idempotency_key=key,
            order_id=order.pk,
        )

    first = ask_for_order("a")
    with pytest.raises(DomainError) as twice:
        ask_for_order("b")
    assert twice.value.details[0].code == "ALREADY_REQUESTED" and first.number in str(twice.value)
    transfer_cancel(transfer=first, by_user=showroom)
    assert ask_for_order("c").status == TransferStatus.REQUESTED  # once cancelled, it can be asked again
