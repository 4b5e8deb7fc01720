"""The allocation plan on its own: which stock rows serve each line, without a database."""

from __future__ import annotations

from marketplace.checkout.allocation import (
    Allocation,
    CollectionPoint,
    LineNeed,
    Shortage,
    StockRow,
    allocation_plan,
)

COFFEE, CASHEW = 1, 2  # variants
PRODUCER_A, PRODUCER_B = 10, 20
SHOWROOM, TOURIST_SITE, WAREHOUSE_B, DEPOT = 100, 200, 300, 400  # outlets; WAREHOUSE_B is producer B's own


def row(stock_id: int, outlet_id: int, available: int, *, variant_id: int = CASHEW) -> StockRow:
    producer = PRODUCER_B if outlet_id == WAREHOUSE_B else None
    return StockRow(
        stock_id=stock_id, variant_id=variant_id, outlet_id=outlet_id, outlet_producer_id=producer, available=available
    )


def cashews(quantity: int, *, track_inventory: bool = True) -> LineNeed:
    return LineNeed(
        line_id="cashew", variant_id=CASHEW, producer_id=PRODUCER_B, quantity=quantity, track_inventory=track_inventory
    )


def taken(plan) -> list[tuple[int, int]]:
    return [(allocation.stock_id, allocation.quantity) for allocation in plan.allocations]


def test_the_collection_points_own_stock_comes_first_even_when_others_hold_more():
    stocks = [row(1, WAREHOUSE_B, 50), row(2, DEPOT, 80), row(3, SHOWROOM, 4)]

    plan = allocation_plan(
        lines=[cashews(3)], stocks=stocks, collection_point=CollectionPoint(SHOWROOM, local_stock_only=False)
    )

    assert plan.allocations == (Allocation(line_id="cashew", stock_id=3, outlet_id=SHOWROOM, quantity=3),)
    assert plan.shortages == ()
    assert plan.all_at(SHOWROOM)


def test_then_the_producers_own_warehouse_then_the_fullest():
    stocks = [row(1, DEPOT, 80), row(2, WAREHOUSE_B, 5), row(3, TOURIST_SITE, 90), row(4, SHOWROOM, 2)]

    plan = allocation_plan(
        lines=[cashews(100)], stocks=stocks, collection_point=CollectionPoint(SHOWROOM, local_stock_only=False)
    )

    # The showroom's 2, producer B's 5, then the tourist site (90) before the depot (80).
    assert taken(plan) == [(4, 2), (2, 5), (3, 90), (1, 3)]
    assert not plan.all_at(SHOWROOM)


def test_home_delivery_draws_from_the_producers_warehouse_first():
    stocks = [row(1, DEPOT, 80), row(2, WAREHOUSE_B, 5)]

    plan = allocation_plan(lines=[cashews(6)], stocks=stocks, collection_point=None)

    assert taken(plan) == [(2, 5), (1, 1)]


def test_an_outlet_collecting_from_local_stock_serves_only_from_its_own():
    stocks = [row(1, WAREHOUSE_B, 50), row(2, TOURIST_SITE, 3)]

    plan = allocation_plan(
        lines=[cashews(5)], stocks=stocks, collection_point=CollectionPoint(TOURIST_SITE, local_stock_only=True)
    )

    assert taken(plan) == [(2, 3)]
    assert plan.shortages == (Shortage(line_id="cashew", available=3),)


def test_insufficient_stock_is_a_shortage_of_what_could_be_given():
    plan = allocation_plan(lines=[cashews(10)], stocks=[row(1, DEPOT, 4), row(2, SHOWROOM, 0)], collection_point=None)

    assert taken(plan) == [(1, 4)]  # a row with nothing left gives nothing
    assert plan.shortages == (Shortage(line_id="cashew", available=4),)


def test_a_variant_nowhere_in_stock_is_short_of_everything():
    plan = allocation_plan(lines=[cashews(1)], stocks=[row(1, DEPOT, 9, variant_id=COFFEE)], collection_point=None)

    assert plan.allocations == ()
    assert plan.shortages == (Shortage(line_id="cashew", available=0),)


def test_a_variant_that_does_not_track_stock_takes_what_there_is_and_is_never_short():
    plan = allocation_plan(lines=[cashews(10, track_inventory=False)], stocks=[row(1, DEPOT, 4)], collection_point=None)

    assert taken(plan) == [(1, 4)]
    assert plan.shortages == ()


def test_rows_that_tie_are_drawn_in_the_order_given():
    stocks = [row(7, DEPOT, 5), row(3, TOURIST_SITE, 5), row(9, SHOWROOM, 5)]

    plan = allocation_plan(lines=[cashews(12)], stocks=stocks, collection_point=None)

    assert taken(plan) == [(7, 5), (3, 5), (9, 2)]


def test_each_line_draws_on_its_own_variants_rows():
    coffee = LineNeed(line_id="coffee", variant_id=COFFEE, producer_id=PRODUCER_A, quantity=2)
    stocks = [row(1, SHOWROOM, 5, variant_id=COFFEE), row(2, WAREHOUSE_B, 5), row(3, SHOWROOM, 5)]

    plan = allocation_plan(
        lines=[coffee, cashews(6)], stocks=stocks, collection_point=CollectionPoint(SHOWROOM, local_stock_only=False)
    )

    assert [(a.line_id, a.stock_id, a.quantity) for a in plan.allocations] == [
        ("coffee", 1, 2),
        ("cashew", 3, 5),
        ("cashew", 2, 1),
    ]
    assert plan.shortages == ()


def test_the_plan_does_not_change_the_rows_it_is_given():
    stocks = [row(1, DEPOT, 4)]

    allocation_plan(lines=[cashews(3)], stocks=stocks, collection_point=None)

    assert stocks[0].available == 4
