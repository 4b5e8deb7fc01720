"""An outlet's day at the counter, and its close: sales by payment method, returns by refund method, the online
orders handed over (with the cash taken for them), and the cash the till should hold, against what was counted.

Days are Asia/Ho_Chi_Minh days. Everything is read from what the day recorded (walk-in sales and returns, orders
handed over at this outlet), so the figures match the receipts to the đồng.
"""

from __future__ import annotations

import dataclasses
import datetime

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


def _during(day: datetime.date, field: str) -> Q:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return Q(**{f"{field}__gte": start, f"{field}__lt": start + datetime.timedelta(days=1)})


def day_figures(*, outlet: Outlet, day: datetime.date) -> DayFigures:
    """The outlet's counter on `day` (three queries): sales count on the day they were paid; a VietQR sale still
    awaiting its transfer, or cancelled, is no sale."""
    paid = CounterSale.objects.filter(_during(day, "paid_at"), outlet=outlet, status=CounterSaleStatus.PAID)
    sales = paid.aggregate(
        count=Count("pk"),
        cash=Sum("total_amount", filter=Q(payment_method=CounterPaymentMethod.CASH)),
        card=Sum("total_amount", filter=Q(payment_method=CounterPaymentMethod.CARD_TERMINAL)),
        vietqr=Sum("total_amount", filter=Q(payment_method=CounterPaymentMethod.VIETQR)),
    )
    refunds = CounterReturn.objects.filter(_during(day, "created_at"), sale__outlet=outlet).aggregate(
        cash=Sum("refund_amount", filter=Q(refund_method=CounterRefundMethod.CASH)),
        card=Sum("refund_amount", filter=Q(refund_method=CounterRefundMethod.CARD_TERMINAL)),
    )
    handed: QuerySet[Order] = Order.objects.filter(
        _during(day, "handed_over_at"), collection_point=outlet, status=OrderStatus.PICKED_UP
    )
    online = handed.aggregate(
        count=Count("pk"), cash=Sum("total_charged_amount", filter=Q(payment_method=PaymentMethod.CASH))
    )
    return DayFigures(
        day=day,
        sales_count=sales["count"],
        cash_sales=sales["cash"] or 0,
        card_sales=sales["card"] or 0,
        vietqr_sales=sales["vietqr"] or 0,
        cash_refunds=refunds["cash"] or 0,
        card_refunds=refunds["card"] or 0,
        online_handed_over=online["count"],
        online_cash=online["cash"] or 0,
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
