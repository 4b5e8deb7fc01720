"""What a sale and its refunds post, as pure functions of the fulfilment's figures (whole đồng, signed: debit +).

A sale of a fulfilment (subtotal S, voucher discount D paid by the platform or the producer, commission C):

    collections            +(S − D)   what the buyer paid for these goods
    platform discounts     +D         when the platform pays the voucher
    producer payable       −S         the goods, owed to the producer
    producer payable       +D         when the producer pays the voucher
    producer payable       +C'        the platform's commission, taken from the producer ...
    platform commission    −C'        ... and kept by the platform

The producer's net is S − D_producer − C', which is `Fulfillment.payout_amount`. That amount is clamped at 0 when
the order was placed (`max(S − C − D_producer, 0)`), so C' = min(C, S − D_producer): when the commission and the
producer's voucher share together exceed the goods, the platform forgoes the commission it cannot take rather than
leave the producer owing for a sale.

A refund reverses a share of each sale: `refund_shares` splits the order's refunded amount across its fulfilments
(and its shipping, which the ledger does not carry) by what was collected for each, and `reversal_lines` reverses
the matching share of each line. Both are worked out on the cumulative refund, so successive partial refunds add
up exactly to the whole sale once everything is refunded.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

from marketplace.discounts.calculation import distribute
from marketplace.discounts.models import DiscountPayer
from marketplace.ledger.models import AccountKind, PostingItem


@dataclasses.dataclass(frozen=True)
class PostingLine:
    """A line of an entry before it is written: the account (kind, producer), a signed amount, what it is for."""

    kind: AccountKind
    amount: int
    item: PostingItem
    producer_id: int | None = None


@dataclasses.dataclass(frozen=True)
class SaleFigures:
    """A fulfilment's figures as they were fixed when the order was placed."""

    producer_id: int
    subtotal: int
    commission: int
    discount: int
    discount_paid_by: str

    @property
    def producer_discount(self) -> int:
        return self.discount if self.discount_paid_by == DiscountPayer.PRODUCER else 0

    @property
    def platform_discount(self) -> int:
        return self.discount - self.producer_discount

    @property
    def commission_taken(self) -> int:
        """The commission the platform takes: never more than what is left of the goods after the producer's
        voucher share, so the producer's net is `Fulfillment.payout_amount`, clamped at 0 as it was."""
        return max(min(self.commission, self.subtotal - self.producer_discount), 0)

    @property
    def collected(self) -> int:
        return self.subtotal - self.discount

    @property
    def producer_net(self) -> int:
        return self.subtotal - self.producer_discount - self.commission_taken


def sale_lines(figures: SaleFigures) -> list[PostingLine]:
    """The lines of a fulfilment's sale; zero amounts are left out."""
    producer = figures.producer_id
    lines = [
        PostingLine(AccountKind.COLLECTIONS, figures.collected, PostingItem.COLLECTION),
        PostingLine(AccountKind.PLATFORM_DISCOUNTS, figures.platform_discount, PostingItem.DISCOUNT),
        PostingLine(AccountKind.PRODUCER_PAYABLE, -figures.subtotal, PostingItem.GOODS, producer),
        PostingLine(AccountKind.PRODUCER_PAYABLE, figures.producer_discount, PostingItem.DISCOUNT, producer),
        PostingLine(AccountKind.PRODUCER_PAYABLE, figures.commission_taken, PostingItem.COMMISSION, producer),
        PostingLine(AccountKind.PLATFORM_COMMISSION, -figures.commission_taken, PostingItem.COMMISSION),
    ]
    return [line for line in lines if line.amount]


def _share(amount: int, numerator: int, denominator: int) -> int:
    """`amount × numerator / denominator`, rounded half up to the đồng."""
    if denominator <= 0:
        return 0
    exact = Decimal(amount) * Decimal(numerator) / Decimal(denominator)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def refund_shares(*, refunded: int, collected: list[int], shipping: int) -> list[int]:
    """The part of the order's refunded amount that falls on each fulfilment (by what was collected for it); the
    shipping's part is left out. `refunded` is capped at what was collected in all."""
    total = sum(collected) + shipping
    return distribute(min(max(refunded, 0), total), [*collected, shipping])[: len(collected)]


def reversal_lines(figures: SaleFigures, refunded: int) -> list[PostingLine]:
    """The lines that reverse the share of a sale refunded so far (`refunded` đồng of its collected amount, in
    all): the sale's own lines with the opposite sign, scaled so that they still add up to zero and reverse the
    whole sale once all of it is refunded."""
    collected = figures.collected
    refunded = min(max(refunded, 0), collected)
    if refunded == 0:
        return []
    platform_discount = _share(figures.platform_discount, refunded, collected)
    producer_discount = _share(figures.producer_discount, refunded, collected)
    goods = refunded + platform_discount + producer_discount
    commission = _share(figures.commission_taken, refunded, collected)
    producer = figures.producer_id
    lines = [
        PostingLine(AccountKind.COLLECTIONS, -refunded, PostingItem.COLLECTION),
        PostingLine(AccountKind.PLATFORM_DISCOUNTS, -platform_discount, PostingItem.DISCOUNT),
        PostingLine(AccountKind.PRODUCER_PAYABLE, goods, PostingItem.GOODS, producer),
        PostingLine(AccountKind.PRODUCER_PAYABLE, -producer_discount, PostingItem.DISCOUNT, producer),
        PostingLine(AccountKind.PRODUCER_PAYABLE, -commission, PostingItem.COMMISSION, producer),
        PostingLine(AccountKind.PLATFORM_COMMISSION, commission, PostingItem.COMMISSION),
    ]
    return [line for line in lines if line.amount]


def lines_difference(target: list[PostingLine], posted: dict[tuple[str, str, int | None], int]) -> list[PostingLine]:
    """What must still be posted so that the lines already posted (`posted`: summed by (account kind, item,
    producer)) become `target`."""
    wanted: dict[tuple[str, str, int | None], int] = {}
    for line in target:
        key = (str(line.kind), str(line.item), line.producer_id)
        wanted[key] = wanted.get(key, 0) + line.amount
    keys = sorted(set(wanted) | set(posted), key=lambda key: (key[0], key[1], key[2] or 0))
    return [
        PostingLine(AccountKind(kind), wanted.get(key, 0) - posted.get(key, 0), PostingItem(item), producer)
        for key in keys
        for kind, item, producer in [key]
        if wanted.get(key, 0) != posted.get(key, 0)
    ]
