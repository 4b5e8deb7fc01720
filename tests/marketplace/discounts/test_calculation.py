"""The discount's arithmetic: whole đồng, never more than the lines, split the same way every time."""

from __future__ import annotations

import pytest

from marketplace.discounts.calculation import DiscountLine, VoucherScope, discount_amount, distribute, line_discounts


def _line(key: str, total: int, *, product: int = 1, producer: int = 1, category: int | None = None, collections=()):
    return DiscountLine(
        key=key,
        product_id=product,
        category_id=category,
        collection_ids=frozenset(collections),
        producer_id=producer,
        total=total,
    )


@pytest.mark.parametrize(
    ("value_type", "value", "eligible", "expected"),
    [
        ("percentage", 10, 370_000, 37_000),
        ("percentage", 15, 99_999, 15_000),  # 14 999,85 rounds half up to the đồng
        ("percentage", 100, 50_000, 50_000),
        ("fixed", 50_000, 370_000, 50_000),
        ("fixed", 500_000, 370_000, 370_000),  # never below zero
        ("fixed", 50_000, 0, 0),
    ],
)
def test_discount_amount(value_type, value, eligible, expected):
    assert discount_amount(value_type=value_type, value=value, eligible_total=eligible) == expected


def test_distribute_adds_up_and_breaks_ties_by_position():
    assert distribute(100, [1, 1, 1]) == [34, 33, 33]
    assert distribute(10, [3, 7]) == [3, 7]
    assert distribute(1, [5, 5]) == [1, 0]
    assert distribute(0, [5, 5]) == [0, 0]
    shares = distribute(37_001, [150_000, 220_000, 1])
    assert sum(shares) == 37_001 and shares == distribute(37_001, [150_000, 220_000, 1])


def test_a_limited_voucher_discounts_only_its_lines():
    scope = VoucherScope(producer_ids=frozenset({2}))
    lines = [_line("coffee", 150_000, producer=1), _line("cashew", 220_000, producer=2)]
    assert line_discounts(value_type="percentage", value=10, scope=scope, lines=lines) == {
        "coffee": 0,
        "cashew": 22_000,
    }


@pytest.mark.parametrize(
    "scope",
    [
        VoucherScope(product_ids=frozenset({7})),
        VoucherScope(category_ids=frozenset({3})),
        VoucherScope(collection_ids=frozenset({9})),
        VoucherScope(producer_ids=frozenset({5})),
    ],
)
def test_each_kind_of_limit_covers_its_line(scope):
    line = _line("a", 100, product=7, producer=5, category=3, collections={9})
    other = _line("b", 100, product=8, producer=6, category=4, collections={10})
    assert scope.covers(line) and not scope.covers(other)


def test_a_fixed_amount_is_spread_over_the_eligible_lines_by_their_totals():
    lines = [_line("a", 100_000), _line("b", 200_000)]
    assert line_discounts(value_type="fixed", value=30_001, scope=VoucherScope(), lines=lines) == {
        "a": 10_000,
        "b": 20_001,
    }
