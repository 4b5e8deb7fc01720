"""Reads of the producer portal. Every read is scoped to one producer: the views pass
`web.access.own_producer_id(request)`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from marketplace.catalogue.models import (
    ListingState,
    Product,
    ProductMedia,
    ProductVariant,
    ProductVariantChannelListing,
)
from marketplace.catalogue.services import delisting_reason
from marketplace.certification.models import MIN_LISTED_STARS, Certification, CertificationStatus
from marketplace.inventory.models import Stock
from marketplace.orders.models import Fulfillment, FulfillmentLine, FulfillmentStatus, OrderStatus
from marketplace.outlets.models import Outlet
from web.domain_labels import listing_reason_label

# A certificate's holder is warned when this many days or fewer are left, the closest threshold first.
EXPIRY_WARNING_DAYS = (7, 30, 90)
OPEN_FULFILLMENT_STATUSES = (FulfillmentStatus.PENDING, FulfillmentStatus.READY)


class Standing:
    """Where a product's certificate stands today."""

    NONE = "none"  # no certificate at all
    UNUSABLE = "unusable"  # revoked, suspended, superseded, quarantined or below 3 stars
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    EXPIRING = "expiring"  # valid, and within the largest warning threshold of its last day
    VALID = "valid"


@dataclass(frozen=True)
class CertificateStanding:
    certification: Certification | None
    state: str
    days_left: int | None = None  # until valid_until, inclusive of neither day; negative once expired
    warn_within: int | None = None  # the warning threshold reached (7, 30 or 90), for EXPIRING

    @property
    def needs_attention(self) -> bool:
        return self.state in (Standing.EXPIRING, Standing.EXPIRED)


@dataclass(frozen=True)
class ProductRow:
    product: Product
    for_sale: bool
    not_for_sale_reason: str | None  # a ListingReason value when it is not for sale
    standing: CertificateStanding
    has_price: bool
    quantity_available: int

    @property
    def not_for_sale_label(self) -> str:
        return listing_reason_label(self.not_for_sale_reason) if self.not_for_sale_reason else ""


def _usable(certification: Certification) -> bool:
    return (
        certification.status == CertificationStatus.ACTIVE
        and certification.quarantined_revision is None
        and certification.stars >= MIN_LISTED_STARS
    )


def certificate_standing(*, certifications: list[Certification], today: datetime.date) -> CertificateStanding:
    """Judge the product by its usable certificate that runs longest (a renewal already granted counts),
    or, when none is usable, by its newest one."""
    if not certifications:
        return CertificateStanding(None, Standing.NONE)
    usable = [c for c in certifications if _usable(c)]
    if not usable:
        return CertificateStanding(certifications[0], Standing.UNUSABLE)
    chosen = max(usable, key=lambda c: (c.valid_until, c.certificate_id))
    days_left = (chosen.valid_until - today).days
    if days_left < 0:
        return CertificateStanding(chosen, Standing.EXPIRED, days_left)
    starts = chosen.valid_from or chosen.decision_date
    if starts is not None and starts > today:
        return CertificateStanding(chosen, Standing.NOT_YET_VALID, days_left)
    warn_within = next((limit for limit in EXPIRY_WARNING_DAYS if days_left <= limit), None)
    if warn_within is not None:
        return CertificateStanding(chosen, Standing.EXPIRING, days_left, warn_within)
    return CertificateStanding(chosen, Standing.VALID, days_left)


def _certification_history() -> QuerySet[Certification]:
    return Certification.objects.defer("raw").order_by(
        F("valid_from").desc(nulls_last=True), "-decision_date", "-certificate_id"
    )


def producer_products(*, producer_id: int) -> QuerySet[Product]:
    """The producer's products, listed or not, with the certificate each is listed under."""
    return (
        Product.objects.filter(producer_id=producer_id)
        .select_related("current_certification", "group", "category")
        .defer("current_certification__raw")
        .order_by("name", "pk")
    )


def producer_product_rows(*, producer_id: int, today: datetime.date) -> list[ProductRow]:
    """The overview: each product, whether shoppers can buy it and why not, and its certificate's standing."""
    priced = ProductVariantChannelListing.objects.filter(
        variant__product=OuterRef("pk"), channel__slug=settings.OCOP_CHANNEL_SLUG
    )
    available = (
        Stock.objects.filter(variant__product=OuterRef("pk"), outlet__is_active=True)
        .values("variant__product")
        .annotate(total=Sum(F("quantity") - F("quantity_allocated")))
        .values("total")
    )
    products = (
        producer_products(producer_id=producer_id)
        .prefetch_related(Prefetch("certifications", queryset=_certification_history(), to_attr="history"))
        .annotate(
            has_price=Exists(priced),
            quantity_available=Coalesce(Subquery(available, output_field=IntegerField()), 0),
        )
    )
    rows = []
    for product in products:
        current = product.current_certification
        for_sale = product.listing_state == ListingState.LISTED and current is not None and current.is_valid_on(today)
        standing = certificate_standing(certifications=product.history, today=today)
        reason = None
        if not for_sale:
            reason = delisting_reason(current=current or standing.certification, today=today)
        rows.append(
            ProductRow(
                product=product,
                for_sale=for_sale,
                not_for_sale_reason=reason,
                standing=standing,
                has_price=product.has_price,
                quantity_available=max(product.quantity_available, 0),
            )
        )
    return rows


def producer_open_order_count(*, producer_id: int) -> int:
    """Orders in which the producer still has a part to prepare or hand over."""
    return (
        Fulfillment.objects.filter(producer_id=producer_id, status__in=OPEN_FULFILLMENT_STATUSES)
        .exclude(order__status=OrderStatus.CANCELED)
        .values("order_id")
        .distinct()
        .count()
    )


def product_certifications(*, product: Product) -> list[Certification]:
    """Every certificate the product held, newest first."""
    return list(_certification_history().filter(product=product))


@dataclass(frozen=True)
class VariantRow:
    """A variant of the product as the portal edits it: its price in the default channel and where it is stocked."""

    variant: ProductVariant
    price_amount: int | None  # in the default channel; None until the variant has a price there
    stocks: list[Stock]  # by outlet name, each with its outlet


def product_variants(*, product: Product) -> list[VariantRow]:
    """The product's variants, each with its price in the default channel and its stock at each outlet."""
    variants = (
        ProductVariant.objects.filter(product=product)
        .order_by("sort_order", "sku")
        .prefetch_related(
            # Only the default channel's listing (at most one) is fetched: the variants stay inside this function.
            Prefetch(
                "channel_listings",
                queryset=ProductVariantChannelListing.objects.filter(channel__slug=settings.OCOP_CHANNEL_SLUG),
            ),
            Prefetch("stocks", queryset=Stock.objects.select_related("outlet").order_by("outlet__name", "outlet_id")),
        )
    )
    return [_variant_row(variant) for variant in variants]


def _variant_row(variant: ProductVariant) -> VariantRow:
    listing = next(iter(variant.channel_listings.all()), None)
    return VariantRow(
        variant=variant,
        price_amount=listing.price_amount if listing is not None else None,
        stocks=list(variant.stocks.all()),
    )


def product_media(*, product: Product) -> list[ProductMedia]:
    """The registry's photos, then the producer's, each in their order."""
    return list(ProductMedia.objects.filter(product=product).order_by("-source", "sort_order", "pk"))


def stock_outlets() -> QuerySet[Outlet]:
    """Outlets a producer may place stock at."""
    return Outlet.objects.filter(is_active=True).order_by("name", "pk")


def producer_fulfillments(*, producer_id: int, open_only: bool) -> QuerySet[Fulfillment]:
    """The producer's parts of orders, newest order first, with their lines (the producer's own only)."""
    fulfillments = Fulfillment.objects.filter(producer_id=producer_id)
    if open_only:
        fulfillments = fulfillments.filter(status__in=OPEN_FULFILLMENT_STATUSES).exclude(
            order__status=OrderStatus.CANCELED
        )
    lines = (
        FulfillmentLine.objects.filter(order_line__producer_id=producer_id)
        .select_related("order_line")
        .order_by("order_line__sort_order", "pk")
    )
    return (
        fulfillments.select_related("order", "order__shipping_address", "outlet")
        .prefetch_related(Prefetch("lines", queryset=lines, to_attr="own_lines"))
        .order_by("-order__number", "fulfillment_order")
    )
