"""How much a voucher takes off, and from which lines: whole đồng, never below zero, the same answer every time.

Pure functions over plain data: the checkout reads its lines and hands them over as `DiscountLine`s.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

from marketplace.discounts.models import DiscountValueType


@dataclasses.dataclass(frozen=True)
class DiscountLine:
    """A buyable line as a voucher sees it: what the product is, and what the line costs (đồng)."""

    key: str
    product_id: int
    category_id: int | None
    collection_ids: frozenset[int]
    producer_id: int
    total: int


@dataclasses.dataclass(frozen=True)
class VoucherScope:
    """What a voucher is limited to; no limit at all means every line."""

    product_ids: frozenset[int] = frozenset()
    collection_ids: frozenset[int] = frozenset()
    category_ids: frozenset[int] = frozenset()  # with every subcategory of the chosen ones
    producer_ids: frozenset[int] = frozenset()

    @property
    def everything(self) -> bool:
        return not (self.product_ids or self.collection_ids or self.category_ids or self.producer_ids)

    def covers(self, line: DiscountLine) -> bool:
        """Whether the line is one the voucher applies to: any one of its limits is enough."""
        return (
            self.everything
            or line.product_id in self.product_ids
            or line.producer_id in self.producer_ids
            or line.category_id in self.category_ids
            or bool(line.collection_ids & self.collection_ids)
        )


def discount_amount(*, value_type: str, value: int, eligible_total: int) -> int:
    """The discount on lines worth `eligible_total` đồng: a percentage rounded half up to the đồng, or the fixed
    amount; never more than the lines themselves."""
    if eligible_total <= 0:
        return 0
    if value_type == DiscountValueType.PERCENTAGE:
        amount = int((Decimal(eligible_total) * Decimal(value) / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    else:
        amount = value
    return max(0, min(amount, eligible_total))


def distribute(amount: int, weights: list[int]) -> list[int]:
    """`amount` split in whole đồng in proportion to `weights`, adding up exactly to `amount`.

    Each share is first rounded down; the đồng left over go one each to the largest remainders, the earlier
    position first on a tie, so the same input always gives the same split. No share exceeds its weight when
    `amount` does not exceed their sum.
    """
    total = sum(weights)
    if amount <= 0 or total <= 0:
        return [0] * len(weights)
    shares = [amount * weight // total for weight in weights]
    remainders = sorted(range(len(weights)), key=lambda index: (-(amount * weights[index] % total), index))
    for index in remainders[: amount - sum(shares)]:
        shares[index] += 1
    return shares


def line_discounts(*, value_type: str, value: int, scope: VoucherScope, lines: list[DiscountLine]) -> dict[str, int]:
    """Each line's share of the voucher's discount, by line key (0 for the lines it does not apply to)."""
    eligible = [line for line in lines if scope.covers(line)]
    amount = discount_amount(value_type=value_type, value=value, eligible_total=sum(line.total for line in eligible))
    shares = {line.key: 0 for line in lines}
    for line, share in zip(eligible, distribute(amount, [line.total for line in eligible]), strict=True):
        shares[line.key] = share
    return shares
