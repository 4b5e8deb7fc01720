"""The voucher of a checkout: whether it applies today, and how much it takes off each line.

A voucher only discounts lines that can be bought as they are (listed, priced in the channel); it never makes
a line buyable, and the checkout's problems refuse the others exactly as without a voucher.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from typing import Protocol

from django.utils import timezone

from marketplace.catalogue.models import Product
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.discounts.calculation import DiscountLine, line_discounts
from marketplace.discounts.error_codes import VoucherRefusal
from marketplace.discounts.models import DiscountPayer, Voucher, VoucherCode
from marketplace.discounts.selectors import (
    collections_of_products,
    voucher_code_find,
    voucher_refusal,
    voucher_scope,
)


class LineLike(Protocol):
    """What a voucher reads of a checkout line (`selectors.LineInfo`, which imports this module)."""

    line: CheckoutLine
    product: Product
    unit_price: int | None
    is_listed: bool

    @property
    def total_price(self) -> int: ...


@dataclasses.dataclass(frozen=True)
class CheckoutVoucher:
    """The checkout's voucher as it stands today: the discount of each line (by line id), or why it does not
    apply (`refusal`, and no discount)."""

    code: VoucherCode
    line_discounts: dict[str, int]
    refusal: VoucherRefusal | None

    @property
    def voucher(self) -> Voucher:
        return self.code.voucher

    @property
    def applies(self) -> bool:
        return self.refusal is None

    @property
    def amount(self) -> int:
        return sum(self.line_discounts.values()) if self.applies else 0

    @property
    def paid_by_producer(self) -> bool:
        return self.voucher.paid_by == DiscountPayer.PRODUCER

    def discount_of(self, line_id: str) -> int:
        return self.line_discounts.get(line_id, 0) if self.applies else 0


def checkout_voucher(
    *, checkout: Checkout, lines: Sequence[LineLike], now: datetime.datetime | None = None
) -> CheckoutVoucher | None:
    """The voucher the checkout's code names (None without a code, or when no active code matches it any more)."""
    if not checkout.voucher_code:
        return None
    code = voucher_code_find(code=checkout.voucher_code)
    if code is None:
        return None
    return evaluate(code=code, checkout=checkout, lines=lines, now=now or timezone.now())


def evaluate(
    *, code: VoucherCode, checkout: Checkout, lines: Sequence[LineLike], now: datetime.datetime
) -> CheckoutVoucher:
    """What the voucher of `code` would do for this checkout now."""
    voucher = code.voucher
    subtotal = sum(line.total_price for line in lines)
    refusal = voucher_refusal(
        voucher=voucher, channel_id=checkout.channel_id, now=now, email=checkout.email, subtotal=subtotal
    )
    shares: dict[str, int] = {}
    if refusal is None:
        buyable = [line for line in lines if line.is_listed and line.unit_price is not None]
        scope = voucher_scope(voucher=voucher)
        collections = collections_of_products(
            product_ids=sorted({line.product.pk for line in buyable}), collection_ids=scope.collection_ids
        )
        shares = line_discounts(
            value_type=voucher.discount_value_type,
            value=voucher.discount_value,
            scope=scope,
            lines=[
                DiscountLine(
                    key=str(line.line.pk),
                    product_id=line.product.pk,
                    category_id=line.product.category_id,
                    collection_ids=collections.get(line.product.pk, frozenset()),
                    producer_id=line.product.producer_id,
                    total=line.total_price,
                )
                for line in buyable
            ],
        )
        if not any(shares.values()):
            refusal = VoucherRefusal.NOTHING_ELIGIBLE
    return CheckoutVoucher(code=code, line_discounts=shares, refusal=refusal)
