"""What a payment gateway takes for a payment, from the fee schedule (`settings.OCOP_GATEWAY_FEES`).

The payments package records each fee with `marketplace.ledger.services.gateway_fee_post` when a gateway reports a
payment; the fee is the platform's cost and never touches a producer's payable.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings


def fee_for(amount: int, *, percent: Decimal, fixed: int) -> int:
    """`percent` of `amount` rounded half up to the đồng, plus `fixed`; never more than `amount`, 0 for nothing."""
    if amount <= 0:
        return 0
    variable = int((Decimal(amount) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(variable + fixed, amount)


def gateway_fee(*, gateway: str, amount: int, schedule: dict[str, tuple[str, int]] | None = None) -> int:
    """The fee `gateway` takes on a payment of `amount` đồng; a gateway not in the schedule takes nothing."""
    terms = (settings.OCOP_GATEWAY_FEES if schedule is None else schedule).get(gateway)
    if terms is None:
        return 0
    percent, fixed = terms
    return fee_for(amount, percent=Decimal(percent), fixed=fixed)
