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
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog_sync.models import QuarantinedRecord, SyncRun
from marketplace.accounts.models import User
from marketplace.accounts.permissions import scope_province_wide
from marketplace.catalogue.models import ListingEvent, ListingState, Product
from marketplace.catalogue.permissions import scope_listing_events, scope_products
from marketplace.catalogue.selectors import listed_products
from marketplace.certification.models import (
    MIN_LISTED_STARS,
    Certification,
    CertificationStatus,
    MisuseReport,
    MisuseReportStatus,
)
from marketplace.certification.permissions import scope_certifications
from marketplace.certification.selectors import valid_certification_q
from marketplace.core.dates import add_months, local_today
from marketplace.core.db import folded
from marketplace.core.text import fold
from marketplace.counter.models import CounterReturnLine, CounterSaleLine, CounterSaleStatus
from marketplace.counter.selectors import OutletDay
from marketplace.counter.selectors import outlet_days as counter_outlet_days
from marketplace.inventory.models import Stock
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


class ProducerStanding(models.TextChoices):
    """Which producers the list keeps (`producers_with_products`)."""

    SELLING = "selling", _("Certified and selling")
    NOT_SELLING = "not-selling", _("Certified, not selling")
    LAPSING = "lapsing", _("Certificate lapsing in a month")
    LAPSED = "lapsed", _("Certificate lapsed, not renewed")


class ProducerOrder(models.TextChoices):
    NAME = "name", _("Name")
    EXPIRY = "expiry", _("Nearest expiry, soonest first")
    EXPIRY_LAST = "-expiry", _("Nearest expiry, latest first")


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month `month` falls in."""
    first = month.replace(day=1)
    return first, add_months(first, 1) - datetime.timedelta(days=1)


def _valid_certificates(day: datetime.date) -> QuerySet[Certification]:
    return Certification.objects.filter(valid_certification_q(day))


def _lapsed_q(day: datetime.date, prefix: str = "") -> Q:
    """A certificate that ran its course: its validity ended before `day`, or the registry marks it expired."""
    return Q(**{f"{prefix}valid_until__lt": day}) | Q(**{f"{prefix}status": CertificationStatus.EXPIRED})


def _unrenewed_lapsed_certificates(day: datetime.date) -> QuerySet[Certification]:
    """Lapsed certificates (`_lapsed_q`) of products that hold no certificate valid on `day`."""
    renewed = _valid_certificates(day).filter(product=OuterRef("product_id"))
    return Certification.objects.filter(_lapsed_q(day)).exclude(Exists(renewed))


def selling_products(*, today: datetime.date) -> QuerySet[Product]:
    """What "selling" means in the console: listed today (`listed_products`: listed, its certificate valid today)
    with some stock a buyer can take (more held than promised to orders) at an active outlet."""
    in_stock = Stock.objects.filter(
        variant__product=OuterRef("pk"), quantity__gt=F("quantity_allocated"), outlet__is_active=True
    )
    return listed_products(today=today).filter(Exists(in_stock))


@dataclasses.dataclass(frozen=True)
class _Standing:
    """Where a producer stands on `day`, as expressions on producers: `certified` (a certificate valid on `day`),
    `selling` (`selling_products`), `next_expiry` (the end of its certificate valid on `day` that ends soonest),
    `lapsed_on` (the latest end of its lapsed certificates whose products were not renewed; None when none did)."""

    day: datetime.date

    def certified(self) -> Exists:
        return Exists(_valid_certificates(self.day).filter(producer=OuterRef("pk")))

    def selling(self) -> Exists:
        return Exists(selling_products(today=self.day).filter(producer=OuterRef("pk")))

    def lapsed(self) -> Exists:
        return Exists(_unrenewed_lapsed_certificates(self.day).filter(producer=OuterRef("pk")))

    def next_expiry(self) -> Subquery:
        valid = _valid_certificates(self.day).filter(producer=OuterRef("pk"))
        return Subquery(valid.order_by("valid_until").values("valid_until")[:1])

    def lapsed_on(self) -> Subquery:
        lapsed = _unrenewed_lapsed_certificates(self.day).filter(producer=OuterRef("pk"))
        return Subquery(lapsed.order_by("-valid_until").values("valid_until")[:1])


def _with_standing(producers: QuerySet[Producer], day: datetime.date) -> QuerySet[Producer]:
    """Each producer with where it stands on `day` (`_Standing`)."""
    standing = _Standing(day)
    return producers.annotate(
        certified=standing.certified(),
        selling=standing.selling(),
        next_expiry=standing.next_expiry(),
        lapsed_on=standing.lapsed_on(),
    )


def _lapsing_q(first: datetime.date, last: datetime.date) -> Q:
    """Certificates that list a product (3 stars or more, not withdrawn) whose validity ends from `first` to
    `last`: those running their course then, whether still active or already marked expired by the registry."""
    return Q(
        status__in=(CertificationStatus.ACTIVE, CertificationStatus.EXPIRED),
        stars__gte=MIN_LISTED_STARS,
        valid_until__gte=first,
        valid_until__lte=last,
    )


def first_sync_day(*, user: User) -> datetime.date | None:
    """The local day of the first registry sync that succeeded: certificates that ended before it were never
    listed (the sync stores them, and the gate keeps their products as drafts)."""
    started = (
        scope_province_wide(user, SyncRun.objects.filter(status=SyncRun.Status.SUCCEEDED))
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return timezone.localdate(started) if started else None


def producers_with_products(
    *,
    user: User,
    search: str = "",
    standing: str = "",
    month: datetime.date | None = None,
    order: str = ProducerOrder.NAME,
    today: datetime.date | None = None,
    first_sync: datetime.date | None = None,
) -> QuerySet[Producer]:
    """The user's producers, each with its products (prefetched as `shown_products`) and where it stands today
    (`_with_standing`: `certified`, `selling`, `next_expiry`, `lapsed_on`).

    `standing` keeps some (`ProducerStanding`; for `LAPSING`, those with a certificate ending in `month`'s
    month, by default this month's); `order` sorts by name or by `next_expiry` (producers without a valid
    certificate last). Every product is shown: listed, delisted, and never listed (a draft, such as a product
    whose certificate ended before the first sync). A product carries `last_reason` (the reason of its latest
    listing event), `lapsed_on` (when it holds no valid certificate: the end of its latest lapsed one),
    `lapsed_before_first_sync` (that end came before `first_sync`), and its latest certificate's id, stars and
    end (`latest_certificate_id`, `latest_stars`, `latest_valid_until`).
    """
    day = today or local_today()
    producers = _with_standing(_producers(user), day)
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
    # The annotations `_with_standing` made (as Q: the type checker knows only the model's own fields).
    if standing == ProducerStanding.SELLING:
        producers = producers.filter(Q(selling=True))
    elif standing == ProducerStanding.NOT_SELLING:
        producers = producers.filter(Q(certified=True, selling=False))
    elif standing == ProducerStanding.LAPSING:
        first, last = month_bounds(month or day)
        producers = producers.filter(
            Exists(Certification.objects.filter(_lapsing_q(first, last), producer=OuterRef("pk")))
        )
    elif standing == ProducerStanding.LAPSED:
        producers = producers.filter(Q(lapsed_on__isnull=False))

    last_reason = ListingEvent.objects.filter(product=OuterRef("pk")).order_by("-created_at", "-pk").values("reason")
    latest = Certification.objects.filter(product=OuterRef("pk")).order_by("-valid_until", "-certificate_id")
    product_lapsed = _unrenewed_lapsed_certificates(day).filter(product=OuterRef("pk")).order_by("-valid_until")
    products = (
        Product.objects.select_related("current_certification")
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
        .annotate(
            last_reason=Subquery(last_reason[:1]),
            latest_certificate_id=Subquery(latest.values("certificate_id")[:1]),
            latest_stars=Subquery(latest.values("stars")[:1]),
            latest_valid_until=Subquery(latest.values("valid_until")[:1]),
            lapsed_on=Subquery(product_lapsed.values("valid_until")[:1]),
        )
        .annotate(
            lapsed_before_first_sync=(
                Case(When(lapsed_on__lt=first_sync, then=Value(True)), default=Value(False))
                if first_sync
                else Value(False)
            ),
            state_order=Case(
                When(listing_state=ListingState.LISTED, then=Value(0)),
                When(listing_state=ListingState.DELISTED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
        )
        .order_by("state_order", "name", "pk")
    )
    if order in (ProducerOrder.EXPIRY, ProducerOrder.EXPIRY_LAST):
        expiry = F("next_expiry")
        ordering = expiry.asc(nulls_last=True) if order == ProducerOrder.EXPIRY else expiry.desc(nulls_last=True)
        sorted_producers = producers.order_by(ordering, "name", "pk")
    else:
        sorted_producers = producers.order_by("name", "pk")
    return sorted_producers.annotate(
        listed_count=Count("products", filter=Q(products__listing_state=ListingState.LISTED)),
        delisted_count=Count("products", filter=Q(products__listing_state=ListingState.DELISTED)),
    ).prefetch_related(Prefetch("products", queryset=products, to_attr="shown_products"))


# --- certificates ------------------------------------------------------------------------------------------


def expiring_certifications(
    *,
    user: User,
    days: int = EXPIRY_WINDOWS[0],
    month: datetime.date | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Certification]:
    """Certificates valid today whose validity ends within `days` days (today included), or, given `month`, in
    the month it falls in (this month: from today to the month's last day), soonest first."""
    day = today or local_today()
    if month is not None:
        first, last = month_bounds(month)
        ending = Q(valid_until__gte=first, valid_until__lte=last)
    else:
        ending = Q(valid_until__lte=day + datetime.timedelta(days=days))
    return (
        scope_certifications(user, Certification.objects.all())
        .filter(valid_certification_q(day), ending)
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
    certified_selling: int  # a certificate valid today and a product on sale (`selling_products`)
    certified_not_selling: int  # a certificate valid today, nothing on sale
    lapsed_producers: int  # a certificate lapsed and its product not renewed
    lapsing_this_month: int  # producers with a certificate ending this month (`_lapsing_q`)
    listed_products: int
    delisted_products: int
    expiring: dict[int, int]  # window in days -> certificates valid today that end within it
    new_reports: int
    open_quarantine: int


def trade_summary(*, user: User, today: datetime.date | None = None) -> TradeSummary:
    """The dashboard's counts, one query each (the producers' standing in one)."""
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
    lapsing = Certification.objects.filter(_lapsing_q(*month_bounds(day)), producer=OuterRef("pk"))
    now = _Standing(day)
    standing = _producers(user).aggregate(
        producers=Count("pk"),
        selling=Count("pk", filter=Q(now.selling())),
        not_selling=Count("pk", filter=Q(now.certified()) & ~Q(now.selling())),
        lapsed=Count("pk", filter=Q(now.lapsed())),
        lapsing=Count("pk", filter=Q(Exists(lapsing))),
    )
    return TradeSummary(
        producers=standing["producers"],
        certified_selling=standing["selling"],
        certified_not_selling=standing["not_selling"],
        lapsed_producers=standing["lapsed"],
        lapsing_this_month=standing["lapsing"],
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
    by_producer: list[SalesRow] = dataclasses.field(default_factory=list)
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
    OCOP product group, stars, outlet and producer. `channel` keeps one of the two (`SalesChannel`).

    Online: the lines of the orders placed in the period, canceled orders left out. Counter: the lines of the
    walk-in sales made in the period, less what was returned of them (quantity and the amount refunded).
    The commune is the producer's today (the registry's when today's is unknown); the group is the product's;
    the stars are those the line was sold under (recorded on an order line at checkout; otherwise the rating of
    the certificate copied on the line, or the product's current one). The outlet is the counter's for a walk-in
    sale and the collection point for an online order (`delivered` labels orders delivered to the buyer). The
    producer is the one the line was sold for (recorded on the line), by its name today.
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
        "producer": _Breakdown(
            "producer_id", {"producer_name": F("producer__name")}, lambda row: row["producer_name"] or unknown
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
        by_producer=results["producer"],
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
