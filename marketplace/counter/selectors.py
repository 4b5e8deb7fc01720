"""Reads of the counter across outlets and days, for those who oversee the outlets (the department of trade).

`outlet_days` gives each outlet's day as its close of day counts it (`day.day_figures`: walk-in sales by payment
method, refunds by method, online orders handed over and the cash taken for them) with the day's `DayClose`, for
many outlets and days at once: one grouped query per kind of record, whatever the number of outlets and days.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from marketplace.counter.day import (
    HANDED_OVER_SUMS,
    REFUND_SUMS,
    SALE_SUMS,
    DayFigures,
    figures_of,
    orders_handed_over,
    paid_sales,
    refunds_made,
)
from marketplace.counter.models import (
    DayClose,
)
from marketplace.outlets.models import Outlet


@dataclasses.dataclass(frozen=True)
class OutletDay:
    """One outlet's day: the figures as they stand now, and the close of the day if staff closed it."""

    outlet: Outlet
    figures: DayFigures
    close: DayClose | None

    @property
    def day(self) -> datetime.date:
        return self.figures.day

    @property
    def is_closed(self) -> bool:
        return self.close is not None

    @property
    def cash_expected(self) -> int:
        """The close's own figure once the day is closed (what staff counted against); today's count before."""
        return self.close.cash_expected if self.close else self.figures.cash_expected

    @property
    def cash_counted(self) -> int | None:
        return self.close.cash_counted if self.close else None

    @property
    def difference(self) -> int | None:
        """Counted minus expected (negative: the till was short); None while the day is not closed."""
        return self.close.difference if self.close else None


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _by_outlet_day(
    rows: Iterable[Mapping[str, Any]], outlet_field: str
) -> dict[tuple[int, datetime.date], Mapping[str, Any]]:
    return {(row[outlet_field], row["local_day"]): row for row in rows}


def outlet_days(*, outlets: QuerySet[Outlet], start: datetime.date, end: datetime.date) -> list[OutletDay]:
    """Each of `outlets`' days from `start` to `end` (local days, both included) on which something was recorded
    (a walk-in sale, a refund, an online order handed over, or a close), newest day first, then by outlet name.

    The figures are those `day.day_figures` computes for the outlet and day, to the đồng; five queries.
    """
    sales = _by_outlet_day(
        paid_sales(start, end)
        .filter(outlet__in=outlets)
        .annotate(local_day=_local_day("paid_at"))
        .values("outlet_id", "local_day")
        .annotate(**SALE_SUMS)
        .order_by(),
        "outlet_id",
    )
    refunds = _by_outlet_day(
        refunds_made(start, end)
        .filter(sale__outlet__in=outlets)
        .annotate(local_day=_local_day("created_at"))
        .values("sale__outlet_id", "local_day")
        .annotate(**REFUND_SUMS)
        .order_by(),
        "sale__outlet_id",
    )
    handed = _by_outlet_day(
        orders_handed_over(start, end)
        .filter(collection_point__in=outlets)
        .annotate(local_day=_local_day("handed_over_at"))
        .values("collection_point_id", "local_day")
        .annotate(**HANDED_OVER_SUMS)
        .order_by(),
        "collection_point_id",
    )
    closes = {
        (close.outlet_id, close.day): close
        for close in DayClose.objects.filter(outlet__in=outlets, day__gte=start, day__lte=end)
    }
    keys = set(sales) | set(refunds) | set(handed) | set(closes)
    by_id = {outlet.pk: outlet for outlet in outlets.filter(pk__in={outlet_id for outlet_id, _ in keys})}
    days = []
    for outlet_id, day in keys:
        key = (outlet_id, day)
        nothing: Mapping[str, Any] = {}
        figures = figures_of(day, sales.get(key, nothing), refunds.get(key, nothing), handed.get(key, nothing))
        days.append(OutletDay(outlet=by_id[outlet_id], figures=figures, close=closes.get(key)))
    days.sort(key=lambda row: (-row.day.toordinal(), row.outlet.name, row.outlet.pk))
    return days
