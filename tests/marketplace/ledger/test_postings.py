"""What a sale and a refund post, as pure functions: balanced, the producer's net is its payout, refunds add up."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.ledger.models import AccountKind
from marketplace.ledger.postings import SaleFigures, refund_shares, reversal_lines, sale_lines


def _payout_amount(figures: SaleFigures) -> int:
    """As the checkout computes `Fulfillment.payout_amount` (marketplace/checkout/complete.py)."""
    return max(figures.subtotal - figures.commission - figures.producer_discount, 0)


def _producer_net(lines) -> int:
    return -sum(line.amount for line in lines if line.kind == AccountKind.PRODUCER_PAYABLE)


figures_strategy = st.builds(
    lambda subtotal, commission_share, discount_share, paid_by: SaleFigures(
        producer_id=1,
        subtotal=subtotal,
        commission=subtotal * commission_share // 100,
        discount=subtotal * discount_share // 100,
        discount_paid_by=paid_by if discount_share else "",
    ),
    st.integers(min_value=1, max_value=50_000_000),
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=100),
    st.sampled_from(["platform", "producer"]),
)


@given(figures_strategy)
def test_a_sale_balances_and_pays_the_producer_its_payout(figures):
    lines = sale_lines(figures)
    assert sum(line.amount for line in lines) == 0
    assert _producer_net(lines) == _payout_amount(figures)
    collected = sum(line.amount for line in lines if line.kind == AccountKind.COLLECTIONS)
    assert collected == figures.subtotal - figures.discount


def test_a_payout_clamped_at_zero_forgoes_the_commission_it_cannot_take():
    # 100% producer-paid voucher on 100.000 ₫ with 10% commission: the checkout paid the producer 0, not −10.000.
    figures = SaleFigures(
        producer_id=7, subtotal=100_000, commission=10_000, discount=100_000, discount_paid_by="producer"
    )
    lines = sale_lines(figures)
    assert _producer_net(lines) == 0
    assert figures.commission_taken == 0
    assert {line.kind for line in lines} == {AccountKind.PRODUCER_PAYABLE}  # goods −, discount +: nothing collected
    # 95% off: 5.000 left, commission 10.000 → 5.000 taken, producer nets 0.
    figures = SaleFigures(
        producer_id=7, subtotal=100_000, commission=10_000, discount=95_000, discount_paid_by="producer"
    )
    assert (figures.commission_taken, _producer_net(sale_lines(figures))) == (5_000, 0)


@given(figures_strategy, st.lists(st.integers(min_value=0, max_value=60_000_000), min_size=1, max_size=5))
def test_refunds_reverse_in_steps_that_balance_and_add_up_to_the_whole_sale(figures, steps):
    refunded, reversed_net = 0, 0
    for step in [*steps, figures.collected]:
        refunded = min(refunded + step, figures.collected)
        lines = reversal_lines(figures, refunded)
        assert sum(line.amount for line in lines) == 0
        reversed_net = -_producer_net(lines)
        assert 0 <= reversed_net <= _payout_amount(figures)
    if figures.collected == 0:  # the voucher paid for all of it: the buyer paid nothing, a refund gives back nothing
        assert reversal_lines(figures, figures.collected) == []
        return
    assert reversed_net == _payout_amount(figures)
    full = {(line.kind, line.item): line.amount for line in reversal_lines(figures, figures.collected)}
    sale = {(line.kind, line.item): line.amount for line in sale_lines(figures)}
    assert full == {key: -amount for key, amount in sale.items()}


@pytest.mark.parametrize(
    ("refunded", "collected", "shipping", "expected"),
    [
        (0, [100, 200], 30, [0, 0]),
        (330, [100, 200], 30, [100, 200]),
        (1_000, [100, 200], 30, [100, 200]),  # never more than was collected
        (33, [100, 200], 30, [10, 20]),  # the shipping's 3 stay with the platform
    ],
)
def test_refund_shares_split_by_what_was_collected(refunded, collected, shipping, expected):
    assert refund_shares(refunded=refunded, collected=collected, shipping=shipping) == expected
