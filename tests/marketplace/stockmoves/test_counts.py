"""Counts and write-offs (issue 15): the shelf set to what was found, every variance kept with its reason and value,
never below what online orders were promised, and a form sent twice recorded once."""

from __future__ import annotations

import uuid

import pytest

from marketplace.accounts.models import Role
from marketplace.catalogue.signals import stock_changed
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.inventory.models import Stock
from marketplace.stockmoves.models import StockCount, StockCountKind, StockCountLine, VarianceReason
from marketplace.stockmoves.selectors import variance_totals
from marketplace.stockmoves.services import CountedLine, stock_count_confirm, stock_write_off
from payments.checkout import checkout_complete
from tests.factories import make_user
from tests.marketplace.checkout.helpers import Shop, cash_pickup_checkout

pytestmark = pytest.mark.django_db


def row(shop: Shop, variant) -> Stock:
    return Stock.objects.get(outlet=shop.tourist_site, variant=variant)


def staff_of(outlet):
    return make_user(Role.OUTLET_STAFF, outlet=outlet)


def count(shop: Shop, found: dict, *, key: str | None = None, by=None, outlet=None):
    """found: variant -> (quantity counted, reason, note)."""
    outlet = outlet or shop.tourist_site
    return stock_count_confirm(
        outlet=outlet,
        by_user=by or staff_of(outlet),
        lines=[
            CountedLine(
                stock_id=Stock.objects.get(outlet=outlet, variant=variant).pk,
                quantity_counted=quantity,
                reason=reason,
                note=note,
            )
            for variant, (quantity, reason, note) in found.items()
        ],
        idempotency_key=key or uuid.uuid4().hex,
    )


def test_a_count_sets_the_shelf_and_records_each_variance_with_its_reason_and_value(shop):
    announced: list[list[int]] = []

    def listen(sender, product_ids, **kwargs):
        announced.append(product_ids)

    stock_changed.connect(listen)
    try:
        recorded = count(
            shop,
            {
                shop.coffee_variant: (8, VarianceReason.DAMAGE, "Hai gói rách"),
                shop.cashew_variant: (10, "", ""),  # as the system says: no reason needed
            },
        )
    finally:
        stock_changed.disconnect(listen)

    assert (row(shop, shop.coffee_variant).quantity, row(shop, shop.cashew_variant).quantity) == (8, 10)
    assert recorded.kind == StockCountKind.COUNT
    lines = {line.product_sku: line for line in recorded.lines.all()}
    coffee = lines[shop.coffee_variant.sku]
    assert (coffee.quantity_before, coffee.quantity_counted, coffee.variance) == (10, 8, -2)
    assert (coffee.reason, coffee.note, coffee.unit_price_amount, coffee.value_amount) == (
        "damage",
        "Hai gói rách",
        150_000,
        -300_000,
    )
    cashew = lines[shop.cashew_variant.sku]
    assert (cashew.variance, cashew.reason, cashew.value_amount) == (0, "", 0)
    assert announced == [sorted([shop.coffee.pk, shop.cashew.pk])]


def test_a_variance_without_a_reason_is_refused_and_nothing_changes(shop):
    with pytest.raises(DomainError) as refused:
        count(shop, {shop.coffee_variant: (7, "", ""), shop.cashew_variant: (12, "", "")})

    assert [detail.code for detail in refused.value.details] == ["REASON_REQUIRED", "REASON_REQUIRED"]
    assert "Cà phê hạt Robusta" in str(refused.value)
    assert (row(shop, shop.coffee_variant).quantity, StockCount.objects.count()) == (10, 0)


def test_a_count_below_the_units_promised_to_online_orders_is_refused_naming_the_product(shop):
    checkout_complete(
        token=cash_pickup_checkout(shop, {shop.coffee_variant: 4}, email="online@example.test").token, user=None
    )
    assert row(shop, shop.coffee_variant).quantity_allocated == 4

    with pytest.raises(DomainError) as refused:
        count(shop, {shop.coffee_variant: (3, VarianceReason.THEFT, "")})

    [detail] = refused.value.details
    assert detail.code == "BELOW_ALLOCATED"
    assert "Cà phê hạt Robusta" in detail.message and "4 are promised to online orders" in detail.message
    assert row(shop, shop.coffee_variant).quantity == 10

    count(shop, {shop.coffee_variant: (4, VarianceReason.THEFT, "")})  # the promised units are all there
    assert (row(shop, shop.coffee_variant).quantity, row(shop, shop.coffee_variant).quantity_available) == (4, 0)


def test_a_count_sent_twice_is_recorded_once(shop):
    staff = staff_of(shop.tourist_site)
    first = count(shop, {shop.coffee_variant: (9, VarianceReason.EXPIRY, "")}, key="count-7f3a", by=staff)
    again = count(shop, {shop.coffee_variant: (8, VarianceReason.EXPIRY, "")}, key="count-7f3a", by=staff)

    assert again.pk == first.pk
    assert row(shop, shop.coffee_variant).quantity == 9
    assert StockCountLine.objects.count() == 1


def test_a_write_off_takes_the_broken_jar_off_the_shelf_and_is_recorded_like_a_count(shop):
    staff = staff_of(shop.tourist_site)
    broken = stock_write_off(
        outlet=shop.tourist_site,
        by_user=staff,
        variant_id=shop.cashew_variant.pk,
        quantity=1,
        reason=VarianceReason.DAMAGE,
        note="Hũ vỡ khi xếp kệ",
        idempotency_key="broken-jar",
    )
    again = stock_write_off(
        outlet=shop.tourist_site,
        by_user=staff,
        variant_id=shop.cashew_variant.pk,
        quantity=1,
        reason=VarianceReason.DAMAGE,
        idempotency_key="broken-jar",
    )

    assert again.pk == broken.pk and broken.kind == StockCountKind.WRITE_OFF
    [line] = broken.lines.all()
    assert (line.quantity_before, line.quantity_counted, line.variance, line.value_amount) == (10, 9, -1, -220_000)
    assert row(shop, shop.cashew_variant).quantity == 9
    count(shop, {shop.coffee_variant: (11, VarianceReason.COUNTING_ERROR, "")})
    totals = {total.reason: (total.units, total.value) for total in variance_totals(outlet_id=shop.tourist_site.pk)}
    assert totals == {"damage": (-1, -220_000), "counting_error": (1, 150_000)}
    assert variance_totals(outlet_id=shop.showroom.pk) == []


def test_a_write_off_never_takes_units_promised_to_online_orders_or_goes_below_zero(shop):
    checkout_complete(
        token=cash_pickup_checkout(shop, {shop.coffee_variant: 9}, email="online@example.test").token, user=None
    )
    staff = staff_of(shop.tourist_site)

    def write_off(quantity: int, reason: str = VarianceReason.DAMAGE):
        return stock_write_off(
            outlet=shop.tourist_site,
            by_user=staff,
            variant_id=shop.coffee_variant.pk,
            quantity=quantity,
            reason=reason,
            idempotency_key=uuid.uuid4().hex,
        )

    with pytest.raises(DomainError, match="9 are promised to online orders"):
        write_off(2)
    with pytest.raises(DomainError) as too_many:
        write_off(11)
    assert too_many.value.details[0].code == "TOO_MANY"
    with pytest.raises(DomainError) as no_reason:
        write_off(1, reason="")
    assert no_reason.value.details[0].code == "REASON_REQUIRED"
    write_off(1)
    assert (row(shop, shop.coffee_variant).quantity, row(shop, shop.coffee_variant).quantity_allocated) == (9, 9)


def test_only_the_outlets_own_staff_or_an_operator_count_its_stock(shop):
    with pytest.raises(PermissionDenied):
        count(shop, {shop.coffee_variant: (9, VarianceReason.THEFT, "")}, by=staff_of(shop.showroom))
    with pytest.raises(PermissionDenied):
        count(shop, {shop.coffee_variant: (9, VarianceReason.THEFT, "")}, by=make_user(Role.TRADE_STAFF))
    with pytest.raises(DomainError) as elsewhere:  # another outlet's row, through this outlet's count
        stock_count_confirm(
            outlet=shop.tourist_site,
            by_user=staff_of(shop.tourist_site),
            lines=[CountedLine(Stock.objects.get(outlet=shop.showroom).pk, 0, VarianceReason.THEFT)],
            idempotency_key="k",
        )
    assert elsewhere.value.details[0].code == "NOT_FOUND"
    assert Stock.objects.get(outlet=shop.showroom).quantity == 5
    count(shop, {shop.coffee_variant: (9, VarianceReason.THEFT, "")}, by=make_user(Role.OPERATOR))
    assert row(shop, shop.coffee_variant).quantity == 9


def test_a_line_whose_stock_moved_while_the_shelf_was_counted_is_counted_again(shop):
    coffee = row(shop, shop.coffee_variant)
    Stock.objects.filter(pk=coffee.pk).update(quantity=9)  # a walk-in sale while staff counted

    with pytest.raises(DomainError) as moved:
        stock_count_confirm(
            outlet=shop.tourist_site,
            by_user=staff_of(shop.tourist_site),
            lines=[CountedLine(coffee.pk, 8, VarianceReason.THEFT, quantity_seen=10)],
            idempotency_key="k",
        )

    assert moved.value.details[0].code == "STOCK_MOVED" and "from 10 to 9" in str(moved.value)
    assert row(shop, shop.coffee_variant).quantity == 9
    stock_count_confirm(
        outlet=shop.tourist_site,
        by_user=staff_of(shop.tourist_site),
        lines=[CountedLine(coffee.pk, 8, VarianceReason.THEFT, quantity_seen=9)],
        idempotency_key="k",
    )
    assert row(shop, shop.coffee_variant).quantity == 8
