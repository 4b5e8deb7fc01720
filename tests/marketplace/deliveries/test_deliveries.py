"""Deliveries from cooperatives (issue 15): announced in the portal, received at the outlet with what actually came,
the stock raised under row locks, the discrepancy kept, lots with best-before dates warned about."""

from __future__ import annotations

import datetime
import threading
import uuid

import pytest
from django.db import connection

from marketplace.accounts.models import Role
from marketplace.core.dates import local_today
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.deliveries.models import Delivery, DeliveryStatus, StockLot
from marketplace.deliveries.selectors import best_before_warnings, producer_deliveries
from marketplace.deliveries.services import (
    AnnouncedLine,
    ReceivedLine,
    delivery_announce,
    delivery_cancel,
    delivery_receive,
    delivery_receive_unannounced,
)
from marketplace.inventory.models import Stock
from marketplace.outlets.models import OutletKind
from tests.factories import delist, make_outlet, make_user, make_variant
from tests.marketplace.checkout.helpers import Shop

pytestmark = pytest.mark.django_db

TODAY = local_today()
DAY = datetime.timedelta(days=1)


def coop_staff(shop: Shop):
    return make_user(Role.PRODUCER_STAFF, producer=shop.coffee.producer)


def outlet_staff(shop: Shop, outlet=None):
    return make_user(Role.OUTLET_STAFF, outlet=outlet or shop.tourist_site)


def announce(shop: Shop, lines: list[AnnouncedLine] | None = None, *, outlet=None, by=None) -> Delivery:
    return delivery_announce(
        producer=shop.coffee.producer,
        outlet=outlet or shop.tourist_site,
        by_user=by or coop_staff(shop),
        expected_on=TODAY + DAY,
        lines=lines or [AnnouncedLine(variant_id=shop.coffee_variant.pk, quantity=12, lot="L-01", best_before=TODAY)],
    )


def on_shelf(outlet, variant) -> int:
    return Stock.objects.get(outlet=outlet, variant=variant).quantity


def test_a_cooperative_announces_a_delivery_of_its_own_listed_products(shop):
    delivery = announce(shop)

    assert (delivery.status, delivery.number, delivery.was_announced) == (
        DeliveryStatus.ANNOUNCED,
        f"GH-{delivery.pk:06d}",
        True,
    )
    [line] = delivery.lines.all()
    assert (line.product_name, line.product_sku, line.quantity_announced, line.lot_announced) == (
        "Cà phê hạt Robusta",
        shop.coffee_variant.sku,
        12,
        "L-01",
    )
    assert (line.quantity_received, line.discrepancy) == (None, None)
    assert on_shelf(shop.tourist_site, shop.coffee_variant) == 10  # nothing moves before the receipt


def test_an_announcement_is_refused_with_every_problem_at_once(shop):
    delist(shop.coffee)
    warehouse_lines = [
        AnnouncedLine(variant_id=shop.cashew_variant.pk, quantity=1),  # another cooperative's
        AnnouncedLine(variant_id=shop.coffee_variant.pk, quantity=0),  # delisted, and no quantity
    ]
    with pytest.raises(DomainError) as refused:
        delivery_announce(
            producer=shop.coffee.producer,
            outlet=shop.warehouse,  # a cooperative's own store does not take deliveries
            by_user=coop_staff(shop),
            expected_on=TODAY - DAY,
            lines=warehouse_lines,
        )
    codes = sorted(str(detail.code) for detail in refused.value.details)
    assert codes == ["DATE_IN_PAST", "INVALID", "NOT_LISTED", "NOT_OWN_PRODUCT", "OUTLET_NOT_RECEIVING"]
    assert Delivery.objects.count() == 0


def test_only_the_cooperatives_own_staff_announce_and_cancel(shop):
    other_coop = make_user(Role.PRODUCER_STAFF, producer=shop.cashew.producer)
    with pytest.raises(PermissionDenied):
        announce(shop, by=other_coop)
    with pytest.raises(PermissionDenied):
        announce(shop, by=outlet_staff(shop))
    delivery = announce(shop)
    with pytest.raises(PermissionDenied):
        delivery_cancel(delivery=delivery, by_user=other_coop)
    assert announce(shop, by=make_user(Role.OPERATOR)).status == DeliveryStatus.ANNOUNCED


def test_receipt_with_a_discrepancy_and_an_unannounced_line_raises_the_stock_and_keeps_both_sides(shop):
    extra_variant = make_variant(shop.coffee, sku="CF-1KG", name="Túi 1 kg")
    delivery = announce(shop)
    [line] = delivery.lines.all()
    staff = outlet_staff(shop)

    received = delivery_receive(
        delivery=delivery,
        by_user=staff,
        lines=[
            ReceivedLine(line_id=line.pk, quantity=10, lot="L-01", best_before=TODAY + 5 * DAY),
            ReceivedLine(variant_id=extra_variant.pk, quantity=3, lot="L-02"),
        ],
        idempotency_key="receipt-1",
        note="Hai gói bị ướt, trả lại",
    )

    assert (received.status, received.received_by, received.receipt_note) == (
        DeliveryStatus.RECEIVED,
        staff,
        "Hai gói bị ướt, trả lại",
    )
    lines = list(received.lines.order_by("pk"))
    assert [(x.quantity_announced, x.quantity_received, x.discrepancy) for x in lines] == [(12, 10, -2), (None, 3, 3)]
    assert lines[0].best_before == TODAY + 5 * DAY and lines[1].was_announced is False
    assert on_shelf(shop.tourist_site, shop.coffee_variant) == 20
    assert on_shelf(shop.tourist_site, extra_variant) == 3  # the row is made
    [lot] = StockLot.objects.all()  # only the lot with a best-before date
    assert (lot.outlet, lot.variant, lot.lot, lot.quantity_received) == (
        shop.tourist_site,
        shop.coffee_variant,
        "L-01",
        10,
    )
    # The cooperative sees the same.
    seen = producer_deliveries(producer_id=shop.coffee.producer_id).get()
    assert [x.discrepancy for x in seen.lines.all()] == [-2, 3]


def test_a_receipt_sent_twice_is_one_and_a_second_receipt_is_refused(shop):
    delivery = announce(shop)
    [line] = delivery.lines.all()
    staff = outlet_staff(shop)
    lines = [ReceivedLine(line_id=line.pk, quantity=12)]

    first = delivery_receive(delivery=delivery, by_user=staff, lines=lines, idempotency_key="k-1")
    again = delivery_receive(delivery=delivery, by_user=staff, lines=lines, idempotency_key="k-1")
    with pytest.raises(DomainError) as refused:
        delivery_receive(delivery=delivery, by_user=staff, lines=lines, idempotency_key="k-2")

    assert again.pk == first.pk and refused.value.details[0].code == "ALREADY_RECEIVED"
    assert on_shelf(shop.tourist_site, shop.coffee_variant) == 22


def test_another_outlets_staff_cannot_receive_and_a_received_delivery_cannot_be_canceled(shop):
    delivery = announce(shop)
    [line] = delivery.lines.all()
    with pytest.raises(PermissionDenied):
        delivery_receive(
            delivery=delivery,
            by_user=outlet_staff(shop, shop.showroom),
            lines=[ReceivedLine(line_id=line.pk, quantity=12)],
            idempotency_key=uuid.uuid4().hex,
        )
    with pytest.raises(PermissionDenied):
        delivery_receive(
            delivery=delivery,
            by_user=coop_staff(shop),
            lines=[ReceivedLine(line_id=line.pk, quantity=12)],
            idempotency_key=uuid.uuid4().hex,
        )
    delivery_receive(
        delivery=delivery,
        by_user=outlet_staff(shop),
        lines=[ReceivedLine(line_id=line.pk, quantity=12)],
        idempotency_key=uuid.uuid4().hex,
    )
    with pytest.raises(DomainError) as refused:
        delivery_cancel(delivery=delivery, by_user=coop_staff(shop))
    assert refused.value.details[0].code == "ALREADY_RECEIVED"


def test_a_canceled_announcement_is_not_received_and_nothing_moves(shop):
    delivery = announce(shop)
    [line] = delivery.lines.all()
    canceled = delivery_cancel(delivery=delivery, by_user=coop_staff(shop))
    assert canceled.status == DeliveryStatus.CANCELED and canceled.canceled_at is not None
    assert delivery_cancel(delivery=delivery, by_user=coop_staff(shop)).status == DeliveryStatus.CANCELED

    with pytest.raises(DomainError) as refused:
        delivery_receive(
            delivery=delivery,
            by_user=outlet_staff(shop),
            lines=[ReceivedLine(line_id=line.pk, quantity=12)],
            idempotency_key="k",
        )
    assert refused.value.details[0].code == "CANCELED"
    assert on_shelf(shop.tourist_site, shop.coffee_variant) == 10


def test_receipt_refuses_missing_lines_bad_quantities_and_another_cooperatives_goods(shop):
    delivery = announce(shop)
    [line] = delivery.lines.all()
    staff = outlet_staff(shop)
    with pytest.raises(DomainError) as missing:
        delivery_receive(delivery=delivery, by_user=staff, lines=[], idempotency_key="a")
    assert [d.code for d in missing.value.details] == ["REQUIRED"]
    with pytest.raises(DomainError) as wrong:
        delivery_receive(
            delivery=delivery,
            by_user=staff,
            lines=[
                ReceivedLine(line_id=line.pk, quantity=-1),
                ReceivedLine(variant_id=shop.cashew_variant.pk, quantity=2),  # producer B's, in producer A's delivery
            ],
            idempotency_key="b",
        )
    assert sorted(d.code for d in wrong.value.details) == ["INVALID", "NOT_OWN_PRODUCT"]
    assert Delivery.objects.get().status == DeliveryStatus.ANNOUNCED
    assert on_shelf(shop.tourist_site, shop.coffee_variant) == 10


def test_nothing_came_is_a_receipt_too(shop):
    delivery = announce(shop)
    [line] = delivery.lines.all()
    received = delivery_receive(
        delivery=delivery,
        by_user=outlet_staff(shop),
        lines=[ReceivedLine(line_id=line.pk, quantity=0, best_before=TODAY)],
        idempotency_key="none-came",
    )
    assert [x.discrepancy for x in received.lines.all()] == [-12]
    assert on_shelf(shop.tourist_site, shop.coffee_variant) == 10 and not StockLot.objects.exists()


def test_a_walk_in_delivery_is_received_without_announcement_once_per_key(shop):
    showroom_staff = outlet_staff(shop, shop.showroom)
    lines = [ReceivedLine(variant_id=shop.cashew_variant.pk, quantity=4, lot="D-9", best_before=TODAY + 30 * DAY)]

    delivery = delivery_receive_unannounced(
        outlet=shop.showroom, by_user=showroom_staff, lines=lines, idempotency_key="walk-in-1"
    )
    again = delivery_receive_unannounced(
        outlet=shop.showroom, by_user=showroom_staff, lines=lines, idempotency_key="walk-in-1"
    )

    assert again.pk == delivery.pk
    assert (delivery.producer, delivery.status, delivery.was_announced) == (
        shop.cashew.producer,
        DeliveryStatus.RECEIVED,
        False,
    )
    assert [(x.quantity_announced, x.quantity_received, x.discrepancy) for x in delivery.lines.all()] == [(None, 4, 4)]
    assert on_shelf(shop.showroom, shop.cashew_variant) == 4  # the showroom held none: the row is made


def test_a_walk_in_delivery_comes_from_one_cooperative_and_only_at_the_staffs_outlet(shop):
    staff = outlet_staff(shop)
    with pytest.raises(DomainError) as mixed:
        delivery_receive_unannounced(
            outlet=shop.tourist_site,
            by_user=staff,
            lines=[
                ReceivedLine(variant_id=shop.coffee_variant.pk, quantity=1),
                ReceivedLine(variant_id=shop.cashew_variant.pk, quantity=1),
            ],
            idempotency_key="mixed",
        )
    assert [d.code for d in mixed.value.details] == ["ONE_PRODUCER"]
    with pytest.raises(PermissionDenied):
        delivery_receive_unannounced(
            outlet=shop.showroom,
            by_user=staff,
            lines=[ReceivedLine(variant_id=shop.coffee_variant.pk, quantity=1)],
            idempotency_key="elsewhere",
        )
    with pytest.raises(DomainError) as empty:
        delivery_receive_unannounced(outlet=shop.tourist_site, by_user=staff, lines=[], idempotency_key="empty")
    assert [d.code for d in empty.value.details] == ["REQUIRED"]
    assert Delivery.objects.count() == 0


def test_best_before_warnings_cover_the_window_and_the_expired_while_the_variant_is_stocked(shop):
    staff = outlet_staff(shop)
    gift = make_variant(shop.coffee, sku="CF-GIFT", name="Hộp quà")
    delivery_receive_unannounced(
        outlet=shop.tourist_site,
        by_user=staff,
        lines=[
            ReceivedLine(variant_id=shop.coffee_variant.pk, quantity=2, lot="SOON", best_before=TODAY + 7 * DAY),
            ReceivedLine(variant_id=shop.coffee_variant.pk, quantity=2, lot="LATER", best_before=TODAY + 8 * DAY),
            ReceivedLine(variant_id=shop.coffee_variant.pk, quantity=1, lot="PAST", best_before=TODAY - 2 * DAY),
            ReceivedLine(variant_id=gift.pk, quantity=1, lot="SOLD-OUT", best_before=TODAY + DAY),
        ],
        idempotency_key="lots",
    )
    Stock.objects.filter(outlet=shop.tourist_site, variant=gift).update(quantity=0)  # all sold

    warnings = best_before_warnings(outlet_id=shop.tourist_site.pk, today=TODAY, days=7)

    assert [(w.lot.lot, w.days_left, w.expired) for w in warnings] == [("PAST", -2, True), ("SOON", 7, False)]
    assert best_before_warnings(outlet_id=shop.showroom.pk, today=TODAY, days=7) == []


def test_an_inactive_outlet_takes_no_walk_in_delivery(shop):
    closed = make_outlet(name="Điểm bán đã đóng", kind=OutletKind.SHOWROOM, is_active=False)
    with pytest.raises(DomainError) as refused:
        delivery_receive_unannounced(
            outlet=closed,
            by_user=outlet_staff(shop, closed),
            lines=[ReceivedLine(variant_id=shop.coffee_variant.pk, quantity=1)],
            idempotency_key="closed",
        )
    assert [d.code for d in refused.value.details] == ["OUTLET_NOT_RECEIVING"]


def _at_once(count: int, work) -> list[str]:
    """Run `work(n)` in `count` threads released together; each returns or raises, recorded as a word."""
    start = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            start.wait()
            result = work(n)
        except DomainError as error:
            result = str(error.details[0].code)
        finally:
            connection.close()
        with lock:
            outcomes.append(str(result))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_receipts_sent_at_once_receive_the_delivery_once(shop):
    delivery = announce(shop)
    [line] = delivery.lines.all()
    staff = outlet_staff(shop)

    def receive(n: int) -> str:
        delivery_receive(
            delivery=delivery,
            by_user=staff,
            lines=[ReceivedLine(line_id=line.pk, quantity=12)],
            idempotency_key=f"tap-{n}",
        )
        return "received"

    assert _at_once(6, receive) == ["ALREADY_RECEIVED"] * 5 + ["received"]
    assert on_shelf(shop.tourist_site, shop.coffee_variant) == 22

    def walk_in(n: int) -> str:
        return str(
            delivery_receive_unannounced(
                outlet=shop.showroom,
                by_user=showroom_staff,
                lines=[ReceivedLine(variant_id=shop.cashew_variant.pk, quantity=5)],
                idempotency_key="the-same-form",
            ).pk
        )

    showroom_staff = outlet_staff(shop, shop.showroom)
    assert len(set(_at_once(4, walk_in))) == 1  # one delivery, whichever request made it
    assert on_shelf(shop.showroom, shop.cashew_variant) == 5
