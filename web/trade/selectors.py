"""What the department of trade's console reads, always within the user's scope (trade staff: their province).

Every function takes the user and narrows with the back office's scope rules (each app's `permissions`), so a
view cannot forget to. Lists come back as querysets with their relations joined, ready to paginate.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

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
from marketplace.orders.models import OrderLine, OrderStatus
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


@dataclasses.dataclass(frozen=True)
class SalesRow:
    """One bar of a sales breakdown. `key` is what the rows were grouped by (None: not known)."""

    key: Any
    label: str
    quantity: int
    revenue: int  # whole đồng


@dataclasses.dataclass(frozen=True)
class SalesReport:
    start: datetime.date
    end: datetime.date
    by_commune: list[SalesRow]
    by_group: list[SalesRow]
    by_stars: list[SalesRow]

    @property
    def quantity(self) -> int:
        return sum(row.quantity for row in self.by_commune)

    @property
    def revenue(self) -> int:
        return sum(row.revenue for row in self.by_commune)


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


def _totals(lines: QuerySet[OrderLine], key: str, **annotations: Any) -> list[dict[str, Any]]:
    return list(
        lines.annotate(**annotations)
        .values(key, *[name for name in annotations if name != key])
        .annotate(quantity=Sum("quantity"), revenue=Sum("total_price_amount"))
        .order_by("-revenue", "-quantity", key)
    )


def sales_report(
    *, user: User, start: datetime.date, end: datetime.date, language: str = "vi", unknown: str = "—"
) -> SalesReport:
    """Quantity and revenue (whole đồng) sold from `start` to `end`, by commune, OCOP product group and stars.

    The commune is the producer's today (the registry's when today's is unknown); the group is the product's;
    the stars are those the line was sold under (recorded on the line at checkout; for older lines, the
    certificate's rating now, or the product's current one). Rows that cannot be placed are labelled `unknown`.
    """
    lines = sold_lines(user=user, start=start, end=end)
    communes = _totals(
        lines,
        "commune",
        commune=Coalesce(NullIf("producer__commune_today", Value("")), NullIf("producer__address_commune", Value(""))),
    )
    groups = _totals(
        lines,
        "variant__product__group_id",
        group_code=Coalesce("variant__product__group__code", Value("")),
        group_name=Coalesce("variant__product__group__name", Value("")),
        group_name_en=Coalesce("variant__product__group__name_en", Value("")),
        group_scheme=Coalesce("variant__product__group__scheme", Value("")),
    )
    sold_under = Certification.objects.filter(certificate_id=OuterRef("certificate_id")).values("stars")[:1]
    stars = _totals(
        lines,
        "stars",
        stars=Coalesce(
            "certificate_stars",
            Subquery(sold_under),
            "variant__product__current_certification__stars",
            output_field=IntegerField(),
        ),
    )
    english = language.lower().startswith("en")

    def group_label(row: dict[str, Any]) -> str:
        if row["variant__product__group_id"] is None:
            return unknown
        name = (english and row["group_name_en"]) or row["group_name"]
        return f"{row['group_code']}. {name} ({row['group_scheme']})" if row["group_code"] else name

    return SalesReport(
        start=start,
        end=end,
        by_commune=[
            SalesRow(row["commune"], row["commune"] or unknown, row["quantity"], row["revenue"]) for row in communes
        ],
        by_group=[
            SalesRow(row["variant__product__group_id"], group_label(row), row["quantity"], row["revenue"])
            for row in groups
        ],
        by_stars=sorted(
            (
                SalesRow(row["stars"], f"{row['stars']}★" if row["stars"] else unknown, row["quantity"], row["revenue"])
                for row in stars
            ),
            key=lambda row: (row.key is None, -(row.key or 0)),
        ),
    )
