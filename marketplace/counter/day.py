"""An outlet's day at the counter, and its close: sales by payment method, returns by refund method, the online
orders handed over (with the cash taken for them), and the cash the till should hold, against what was counted.

Days are Asia/Ho_Chi_Minh days. Everything is read from what the day recorded (walk-in sales and returns, orders
handed over at this outlet), so the figures match the receipts to the đồng.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.dates import day_text
from marketplace.core.errors import DomainError, PermissionDenied
from marketplace.counter.error_codes import CounterErrorCode
from marketplace.counter.models import (
    CounterPaymentMethod,
    CounterRefundMethod,
    CounterReturn,
    CounterSale,
    CounterSaleStatus,
    DayClose,
)
from marketplace.counter.services import can_sell_at
from marketplace.orders.models import Order, OrderStatus, PaymentMethod
from marketplace.outlets.models import Outlet


@dataclasses.dataclass(frozen=True)
class DayFigures:
    day: datetime.date
    sales_count: int
    cash_sales: int
    card_sales: int
    vietqr_sales: int
    cash_refunds: int
    card_refunds: int
    online_handed_over: int  # orders handed over at the counter
    online_cash: int  # cash taken for them

    @property
    def sales_total(self) -> int:
        return self.cash_sales + self.card_sales + self.vietqr_sales

    @property
    def refunds_total(self) -> int:
        return self.cash_refunds + self.card_refunds

    @property
    def cash_expected(self) -> int:
        """What the till should have taken in today: cash sales and online orders' cash, less cash refunds."""
        return self.cash_sales + self.online_cash - self.cash_refunds

    def as_dict(self) -> dict[str, int | str]:
        return {
            "day": self.day.isoformat(),
            **{field.name: getattr(self, field.name) for field in dataclasses.fields(self) if field.name != "day"},
        }


def within(field: str, start: datetime.date, end: datetime.date) -> Q:
    """`field` within the local days `start` to `end`, both included."""
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    after = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


# What a day counts, as aggregates: `day_figures` for one outlet and day, `selectors.outlet_days` per outlet and day.
# Sales count on the day they were paid (`paid_sales`): a VietQR sale awaiting its transfer, or cancelled, is no
# sale; refunds on the day they were made; online orders on the day they were handed over.
SALE_SUMS = {
    "count": Count("pk"),
    "cash": Sum("total_amount", filter=Q(payment_method=CounterPaymentMethod.CASH)),
    "card": Sum("total_amount", filter=Q(payment_method=CounterPaymentMethod.CARD_TERMINAL)),
    "vietqr": Sum("total_amount", filter=Q(payment_method=CounterPaymentMethod.VIETQR)),
}
REFUND_SUMS = {
    "cash": Sum("refund_amount", filter=Q(refund_method=CounterRefundMethod.CASH)),
    "card": Sum("refund_amount", filter=Q(refund_method=CounterRefundMethod.CARD_TERMINAL)),
}
HANDED_OVER_SUMS = {
    "count": Count("pk"),
    "cash": Sum("total_charged_amount", filter=Q(payment_method=PaymentMethod.CASH)),
}


def paid_sales(start: datetime.date, end: datetime.date) -> QuerySet[CounterSale]:
    return CounterSale.objects.filter(within("paid_at", start, end), status=CounterSaleStatus.PAID)


def refunds_made(start: datetime.date, end: datetime.date) -> QuerySet[CounterReturn]:
    return CounterReturn.objects.filter(within("created_at", start, end))


def orders_handed_over(start: datetime.date, end: datetime.date) -> QuerySet[Order]:
    return Order.objects.filter(within("handed_over_at", start, end), status=OrderStatus.PICKED_UP)


def figures_of(
    day: datetime.date, sales: Mapping[str, Any], refunds: Mapping[str, Any], online: Mapping[str, Any]
) -> DayFigures:
    """The day's figures from the three aggregates above (a missing sum is 0)."""
    return DayFigures(
        day=day,
        sales_count=sales.get("count") or 0,
        cash_sales=int(sales.get("cash") or 0),
        card_sales=int(sales.get("card") or 0),
        vietqr_sales=int(sales.get("vietqr") or 0),
        cash_refunds=int(refunds.get("cash") or 0),
        card_refunds=int(refunds.get("card") or 0),
        online_handed_over=online.get("count") or 0,
        online_cash=int(online.get("cash") or 0),
    )


def day_figures(*, outlet: Outlet, day: datetime.date) -> DayFigures:
    """The outlet's counter on `day` (three queries)."""
    return figures_of(
        day,
        paid_sales(day, day).filter(outlet=outlet).aggregate(**SALE_SUMS),
        refunds_made(day, day).filter(sale__outlet=outlet).aggregate(**REFUND_SUMS),
        orders_handed_over(day, day).filter(collection_point=outlet).aggregate(**HANDED_OVER_SUMS),
    )


def day_close(*, outlet: Outlet, day: datetime.date, by_user: User, cash_counted: int, note: str = "") -> DayClose:
    """Close the outlet's day with the cash counted; the figures are kept as they stand. A day is closed once."""
    if not can_sell_at(by_user, outlet):
        raise PermissionDenied("Only this outlet's staff close its day.")
    if isinstance(cash_counted, bool) or not isinstance(cash_counted, int) or cash_counted < 0:
        raise DomainError("Enter the cash counted in đồng.", code=CounterErrorCode.INVALID, field="cashCounted")
    figures = day_figures(outlet=outlet, day=day)
    try:
        with transaction.atomic():
            return DayClose.objects.create(
                outlet=outlet,
                day=day,
                closed_by=by_user,
                cash_expected=figures.cash_expected,
                cash_counted=cash_counted,
                figures=figures.as_dict(),
                note=note.strip()[:500],
            )
    except IntegrityError:
        raise DomainError(
            f"The day {day_text(day)} is already closed at this outlet.", code=CounterErrorCode.INVALID, field="day"
        ) from None
