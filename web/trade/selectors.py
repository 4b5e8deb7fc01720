"""What the department of trade's console reads, always within the user's scope (trade staff: their province).

Every function takes the user and narrows with the back office's scope rules (each app's `permissions`), so a
view cannot forget to. Lists come back as querysets with their relations joined, ready to paginate.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog_sync.models import QuarantinedRecord, SyncRun
from marketplace.accounts.models import User
from marketplace.accounts.permissions import scope_province_wide
from marketplace.catalogue.models import ListingEvent, ListingState, Product
from marketplace.catalogue.permissions import scope_listing_events, scope_products
from marketplace.certification.models import Certification, MisuseReport, MisuseReportStatus
from marketplace.certification.permissions import scope_certifications
from marketplace.certification.selectors import valid_certification_q
from marketplace.core.dates import local_today
from marketplace.core.db import folded
from marketplace.core.text import fold
from marketplace.counter.models import CounterReturnLine, CounterSaleLine, CounterSaleStatus
from marketplace.counter.selectors import OutletDay
from marketplace.counter.selectors import outlet_days as counter_outlet_days
from marketplace.orders.models import OrderLine, OrderStatus
from marketplace.outlets.models import Outlet
from marketplace.outlets.permissions import scope_outlets
from marketplace.producers.models import Producer
from marketplace.producers.permissions import scope_producers

EXPIRY_WINDOWS = (30, 90)  # days ahead the console warns of expiring certificates


# --- sellers and their products ----------------------------------------------------------------------------


def _producers(user: User) -> QuerySet[Producer]:
    return scope_producers(user, Producer.objects.all())


def scoped_producers(*, user: User) -> QuerySet[Producer]:
    """The producers the user oversees: their province's (operators: all)."""
    return _producers(user)


def producers_with_products(*, user: User, search: str = "") -> QuerySet[Producer]:
    """The user's producers by name, each with its listed and delisted products (prefetched as `shown_products`).

    A delisted product carries `last_reason`, the reason of its latest listing event.
    """
    producers = _producers(user)
    if search:
        # Names and communes as people type them: "tan trieu" finds "Tân Triều".
        words = fold(search)
        producers = producers.annotate(
            name_folded=folded("name"),
            commune_folded=folded("commune_today"),
            address_commune_folded=folded("address_commune"),
        ).filter(
            Q(name_folded__contains=words)
            | Q(registry_id__iexact=search)
            | Q(tax_code__iexact=search)
            | Q(commune_folded__contains=words)
            | Q(address_commune_folded__contains=words)
        )
    last_reason = ListingEvent.objects.filter(product=OuterRef("pk")).order_by("-created_at", "-pk").values("reason")
    products = (
        Product.objects.filter(listing_state__in=(ListingState.LISTED, ListingState.DELISTED))
        .select_related("current_certification")
        .only(
            "name",
            "name_en",
            "slug",
            "producer_id",
            "listing_state",
            "listing_changed_at",
            "current_certification__certificate_id",
            "current_certification__stars",
            "current_certification__valid_until",
        )
        .annotate(last_reason=Subquery(last_reason[:1]))
        .order_by("listing_state", "name", "pk")
    )
    return (
        producers.annotate(
            listed_count=Count("products", filter=Q(products__listing_state=ListingState.LISTED)),
            delisted_count=Count("products", filter=Q(products__listing_state=ListingState.DELISTED)),
        )
        .prefetch_related(Prefetch("products", queryset=products, to_attr="shown_products"))
        .order_by("name", "pk")
    )


# --- certificates ------------------------------------------------------------------------------------------


def expiring_certifications(*, user: User, days: int, today: datetime.date | None = None) -> QuerySet[Certification]:
    """Certificates valid today whose validity ends within `days` days (today included), soonest first."""
    day = today or local_today()
    return (
        scope_certifications(user, Certification.objects.all())
        .filter(valid_certification_q(day), valid_until__lte=day + datetime.timedelta(days=days))
        .select_related("product", "producer")
        .defer("raw")
        .order_by("valid_until", "certificate_id")
    )


# --- the listing log ---------------------------------------------------------------------------------------


def listing_events(
    *,
    user: User,
    to_state: str = ListingState.DELISTED,
    reason: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[ListingEvent]:
    """The listing log, newest first: delistings by default; `to_state=""` for every change."""
    events = scope_listing_events(user, ListingEvent.objects.all())
    if to_state:
        events = events.filter(to_state=to_state)
    if reason:
        events = events.filter(reason=reason)
    if start:
        events = events.filter(created_at__gte=_day_start(start))
    if end:
        events = events.filter(created_at__lt=_day_start(end + datetime.timedelta(days=1)))
    return events.select_related("product__producer", "actor").order_by("-created_at", "-pk")


# --- the registry's side -----------------------------------------------------------------------------------


def quarantined_records(*, user: User, include_released: bool = False) -> QuerySet[QuarantinedRecord]:
    """Registry records that failed validation, newest first; only those still held unless asked."""
    records = scope_province_wide(user, QuarantinedRecord.objects.all())
    if not include_released:
        records = records.filter(released_at__isnull=True)
    return records.select_related("sync_run").order_by("-received_at", "-pk")


def recent_sync_runs(*, user: User, limit: int = 10) -> list[SyncRun]:
    return list(scope_province_wide(user, SyncRun.objects.all()).order_by("-started_at", "-pk")[:limit])


# --- misuse reports ----------------------------------------------------------------------------------------


def misuse_reports(*, user: User, status: str = "") -> QuerySet[MisuseReport]:
    """Reports about the user's products, and those naming no known product, newest first.

    A report naming no product is the registry's province's to sort out, so it follows the rule of registry
    records (every trade staff member and operator); one naming a product follows the product's scope.
    """
    unmatched = scope_province_wide(user, MisuseReport.objects.filter(product__isnull=True))
    matched = MisuseReport.objects.filter(product__in=scope_products(user, Product.objects.all()))
    reports = unmatched | matched
    if status:
        reports = reports.filter(status=status)
    return reports.select_related("product__producer", "certification", "handled_by").order_by("-created_at", "-pk")


# --- the dashboard -----------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class TradeSummary:
    producers: int
    listed_products: int
    delisted_products: int
    expiring: dict[int, int]  # window in days -> certificates valid today that end within it
    new_reports: int
    open_quarantine: int


def trade_summary(*, user: User, today: datetime.date | None = None) -> TradeSummary:
    """The dashboard's counts, one query each."""
    day = today or local_today()
    products = scope_products(user, Product.objects.all()).aggregate(
        listed=Count("pk", filter=Q(listing_state=ListingState.LISTED)),
        delisted=Count("pk", filter=Q(listing_state=ListingState.DELISTED)),
    )
    windows = {
        f"within_{days}": Count("pk", filter=Q(valid_until__lte=day + datetime.timedelta(days=days)))
        for days in EXPIRY_WINDOWS
    }
    expiring = scope_certifications(user, Certification.objects.all()).filter(valid_certification_q(day))
    expiring_counts = expiring.aggregate(**windows)
    return TradeSummary(
        producers=_producers(user).count(),
        listed_products=products["listed"],
        delisted_products=products["delisted"],
        expiring={days: expiring_counts[f"within_{days}"] for days in EXPIRY_WINDOWS},
        new_reports=misuse_reports(user=user, status=MisuseReportStatus.NEW).count(),
        open_quarantine=quarantined_records(user=user).count(),
    )


# --- sales -------------------------------------------------------------------------------------------------


class SalesChannel(models.TextChoices):
    """Where goods were sold: online orders, walk-in sales at an outlet's counter, or both."""

    ALL = "all", _("Online and at the counter")
    ONLINE = "online", _("Online orders")
    COUNTER = "counter", _("Walk-in sales at the counter")


@dataclasses.dataclass(frozen=True)
class SalesRow:
    """One row of a sales breakdown, online and counter figures side by side. `key` is what the rows were grouped
    by (None: not known; for outlets, online orders delivered to the buyer)."""

    key: Any
    label: str
    online_quantity: int = 0
    online_revenue: int = 0  # whole đồng
    counter_quantity: int = 0  # sold at the counter less what came back
    counter_revenue: int = 0  # whole đồng, less what was refunded for returned goods

    @property
    def quantity(self) -> int:
        return self.online_quantity + self.counter_quantity

    @property
    def revenue(self) -> int:
        return self.online_revenue + self.counter_revenue


def _sum_rows(rows: list[SalesRow], *, label: str = "") -> SalesRow:
    return SalesRow(
        key=None,
        label=label,
        online_quantity=sum(row.online_quantity for row in rows),
        online_revenue=sum(row.online_revenue for row in rows),
        counter_quantity=sum(row.counter_quantity for row in rows),
        counter_revenue=sum(row.counter_revenue for row in rows),
    )


@dataclasses.dataclass(frozen=True)
class SalesReport:
    """Each breakdown holds every item sold once, so each adds up to the same total (`total`)."""

    start: datetime.date
    end: datetime.date
    by_commune: list[SalesRow]
    by_group: list[SalesRow]
    by_stars: list[SalesRow]
    by_outlet: list[SalesRow] = dataclasses.field(default_factory=list)
    channel: str = SalesChannel.ALL

    @property
    def total(self) -> SalesRow:
        return _sum_rows(self.by_commune)

    @property
    def quantity(self) -> int:
        return self.total.quantity

    @property
    def revenue(self) -> int:
        return self.total.revenue

    @property
    def shows_online(self) -> bool:
        return self.channel != SalesChannel.COUNTER

    @property
    def shows_counter(self) -> bool:
        return self.channel != SalesChannel.ONLINE

    @property
    def channel_label(self) -> str:
        return str(SalesChannel(self.channel).label)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def sold_lines(*, user: User, start: datetime.date, end: datetime.date) -> QuerySet[OrderLine]:
    """Lines of the orders placed from `start` to `end` (local days, both included), canceled orders left out,
    of the user's producers."""
    return OrderLine.objects.filter(
        order__created_at__gte=_day_start(start),
        order__created_at__lt=_day_start(end + datetime.timedelta(days=1)),
        producer__in=_producers(user),
    ).exclude(order__status=OrderStatus.CANCELED)


def counter_sold_lines(*, user: User, start: datetime.date, end: datetime.date) -> QuerySet[CounterSaleLine]:
    """Lines of the walk-in sales paid from `start` to `end` (local days, both included) at any outlet, of the
    user's producers, each with what was returned of it so far (`returned_quantity`, `returned_amount`)."""
    returned = (
        CounterReturnLine.objects.filter(sale_line=OuterRef("pk"))
        .order_by()
        .values("sale_line")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
    )
    return CounterSaleLine.objects.filter(
        sale__status=CounterSaleStatus.PAID,  # a VietQR sale awaiting its transfer, or cancelled, sold nothing
        sale__paid_at__gte=_day_start(start),
        sale__paid_at__lt=_day_start(end + datetime.timedelta(days=1)),
        producer__in=_producers(user),
    ).annotate(
        returned_quantity=Coalesce(Subquery(returned.values("quantity")), 0, output_field=BigIntegerField()),
        returned_amount=Coalesce(Subquery(returned.values("amount")), 0, output_field=BigIntegerField()),
    )


# What each channel's rows add up: online lines as ordered; counter lines less what came back.
_ONLINE_SUMS = {
    "quantity": Sum("quantity", output_field=BigIntegerField()),
    "revenue": Sum("total_price_amount", output_field=BigIntegerField()),
}
_COUNTER_SUMS = {
    "quantity": Sum(F("quantity") - F("returned_quantity"), output_field=BigIntegerField()),
    "revenue": Sum(F("total_price_amount") - F("returned_amount"), output_field=BigIntegerField()),
}


def _totals(lines: QuerySet[Any], sums: dict[str, Sum], key: str, **annotations: Any) -> list[dict[str, Any]]:
    """One SQL query: the lines grouped by `key` (with `annotations` alongside), each group's quantity and revenue."""
    return list(
        lines.annotate(**annotations)
        .values(key, *[name for name in annotations if name != key])
        .annotate(**sums)
        .order_by(key)
    )


@dataclasses.dataclass(frozen=True)
class _Breakdown:
    """How to group lines: the key, the columns its label is made of (`annotations`, on order lines; a counter
    line reaches some by other paths, given in `counter_annotations`), and the label of one grouped row."""

    key: str
    annotations: dict[str, Any]
    label: Callable[[dict[str, Any]], str]
    counter_annotations: dict[str, Any] = dataclasses.field(default_factory=dict)

    def online(self, lines: QuerySet[OrderLine]) -> list[dict[str, Any]]:
        return _totals(lines, _ONLINE_SUMS, self.key, **self.annotations)

    def counter(self, lines: QuerySet[CounterSaleLine]) -> list[dict[str, Any]]:
        return _totals(lines, _COUNTER_SUMS, self.key, **{**self.annotations, **self.counter_annotations})


def _merged(breakdown: _Breakdown, online: list[dict[str, Any]], counter: list[dict[str, Any]]) -> list[SalesRow]:
    """The online and counter groups of one breakdown as rows, side by side by key, largest revenue first."""
    rows: dict[Any, SalesRow] = {}
    for channel, groups in (("online", online), ("counter", counter)):
        for group in groups:
            quantity, revenue = int(group["quantity"] or 0), int(group["revenue"] or 0)
            if not quantity and not revenue:
                continue  # everything sold was brought back
            key = group[breakdown.key]
            row = rows.get(key) or SalesRow(key=key, label=breakdown.label(group))
            if channel == "online":
                rows[key] = dataclasses.replace(row, online_quantity=quantity, online_revenue=revenue)
            else:
                rows[key] = dataclasses.replace(row, counter_quantity=quantity, counter_revenue=revenue)
    return sorted(rows.values(), key=lambda row: (-row.revenue, -row.quantity, row.label))


def sales_report(
    *,
    user: User,
    start: datetime.date,
    end: datetime.date,
    channel: str = SalesChannel.ALL,
    language: str = "vi",
    unknown: str = "—",
    delivered: str = "—",
) -> SalesReport:
    """Quantity and revenue (whole đồng) sold from `start` to `end`, online and at outlets' counters, by commune,
    OCOP product group, stars and outlet. `channel` keeps one of the two (`SalesChannel`).

    Online: the lines of the orders placed in the period, canceled orders left out. Counter: the lines of the
    walk-in sales made in the period, less what was returned of them (quantity and the amount refunded).
    The commune is the producer's today (the registry's when today's is unknown); the group is the product's;
    the stars are those the line was sold under (recorded on an order line at checkout; otherwise the rating of
    the certificate copied on the line, or the product's current one). The outlet is the counter's for a walk-in
    sale and the collection point for an online order (`delivered` labels orders delivered to the buyer).
    Rows that cannot be placed are labelled `unknown`. Two SQL queries per breakdown, one per channel.
    """
    english = language.lower().startswith("en")
    sold_under = Certification.objects.filter(certificate_id=OuterRef("certificate_id")).values("stars")[:1]
    commune = Coalesce(NullIf("producer__commune_today", Value("")), NullIf("producer__address_commune", Value("")))

    def group_label(row: dict[str, Any]) -> str:
        if row["variant__product__group_id"] is None:
            return unknown
        name = (english and row["group_name_en"]) or row["group_name"]
        return f"{row['group_code']}. {name} ({row['group_scheme']})" if row["group_code"] else name

    def outlet_label(row: dict[str, Any]) -> str:
        if row["outlet"] is None:
            return delivered
        return (english and row["outlet_name_en"]) or row["outlet_name"] or unknown

    groups = {
        "group_code": Coalesce("variant__product__group__code", Value("")),
        "group_name": Coalesce("variant__product__group__name", Value("")),
        "group_name_en": Coalesce("variant__product__group__name_en", Value("")),
        "group_scheme": Coalesce("variant__product__group__scheme", Value("")),
    }
    stars_now = ("variant__product__current_certification__stars",)
    breakdowns = {
        "commune": _Breakdown("commune", {"commune": commune}, lambda row: row["commune"] or unknown),
        "group": _Breakdown("variant__product__group_id", groups, group_label),
        "stars": _Breakdown(
            "stars",
            {"stars": Coalesce("certificate_stars", Subquery(sold_under), *stars_now, output_field=IntegerField())},
            lambda row: f"{row['stars']}★" if row["stars"] else unknown,
            # A receipt copies the certificate, not its stars.
            counter_annotations={"stars": Coalesce(Subquery(sold_under), *stars_now, output_field=IntegerField())},
        ),
        "outlet": _Breakdown(
            "outlet",
            {
                "outlet": F("order__collection_point_id"),
                "outlet_name": Coalesce("order__collection_point__name", Value("")),
                "outlet_name_en": Coalesce("order__collection_point__name_en", Value("")),
            },
            outlet_label,
            counter_annotations={
                "outlet": F("sale__outlet_id"),
                "outlet_name": F("sale__outlet__name"),
                "outlet_name_en": F("sale__outlet__name_en"),
            },
        ),
    }
    online_lines = sold_lines(user=user, start=start, end=end) if channel != SalesChannel.COUNTER else None
    counter_lines = counter_sold_lines(user=user, start=start, end=end) if channel != SalesChannel.ONLINE else None
    results = {
        name: _merged(
            breakdown,
            [] if online_lines is None else breakdown.online(online_lines),
            [] if counter_lines is None else breakdown.counter(counter_lines),
        )
        for name, breakdown in breakdowns.items()
    }
    return SalesReport(
        start=start,
        end=end,
        channel=channel,
        by_commune=results["commune"],
        by_group=results["group"],
        by_stars=sorted(results["stars"], key=lambda row: (row.key is None, -(row.key or 0))),
        by_outlet=results["outlet"],
    )


# --- the outlets' days at the counter ------------------------------------------------------------------------


def scoped_outlets(*, user: User) -> QuerySet[Outlet]:
    """The outlets the user oversees: their province's (operators: all), by name."""
    return scope_outlets(user, Outlet.objects.all()).order_by("name", "pk")


def outlet_days(
    *, user: User, start: datetime.date, end: datetime.date, outlet_id: int | None = None
) -> list[OutletDay]:
    """The counter's figures and the close of each day from `start` to `end` of the user's outlets (or of one of
    them), newest day first; days on which nothing was recorded are left out."""
    outlets = scoped_outlets(user=user)
    if outlet_id is not None:
        outlets = outlets.filter(pk=outlet_id)
    return counter_outlet_days(outlets=outlets, start=start, end=end)
