"""Reads for the consumer pages: home, catalogue, provenance and certificate verification.

Each page's reads are a fixed number of queries whatever the catalogue's size: products are read
by id, then their images, prices and stock in one query each. The gate is always
`listed_products()`; a product that is not listed today is never shown as for sale.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count, Min, Q

from marketplace.catalogue.models import (
    Category,
    Collection,
    ListingReason,
    ListingState,
    Product,
    ProductMedia,
    ProductVariant,
    ProductVariantChannelListing,
)
from marketplace.catalogue.read_cache import catalogue_cached
from marketplace.catalogue.selectors import (
    collections_of_products,
    listed_products,
    listed_products_in_order,
    ready_media_of_products,
    variants_of_products,
)
from marketplace.catalogue.services import delisting_reason
from marketplace.certification.models import Certification
from marketplace.certification.selectors import certifications_of_products, valid_certification_q
from marketplace.core.dates import local_today
from marketplace.core.db import AnyOf
from marketplace.core.statements import Statement
from marketplace.inventory.models import Stock
from marketplace.outlets.models import Outlet, OutletKind
from search.backends.base import Facet, FacetValue, SearchQuery, SearchResult
from search.selectors import product_search
from web.share_image import ShareCard

THUMBNAIL_SIZE = 256  # the smallest rendition at least this wide is used on cards
PHOTO_SIZE = 512  # on the provenance page (a phone's width)
SHARED_PHOTO_SIZE = 1024  # in the structured data, for search engines and link previews
FEATURED_LIMIT = 8
CERTIFICATE_ID_MAX_LENGTH = 64  # Certification.certificate_id's max_length


@dataclass(frozen=True)
class ProductCard:
    """A product as a card on the home and catalogue pages."""

    product: Product
    stars: int
    price_from: int | None  # whole đồng, the lowest variant price in the default channel
    thumbnail_url: str | None


def media_url(media: ProductMedia, size: int | None) -> str:
    """The URL of the smallest stored rendition at least `size` pixels, or of the original."""
    path = media.image.name
    if size is not None:
        fitting = sorted(int(key) for key in media.renditions or {} if str(key).isdigit() and int(key) >= size)
        if fitting:
            path = media.renditions[str(fitting[0])]
    return default_storage.url(path)


_LOWEST_PRICES = Statement(
    lambda product_ids, channel_slug: (
        ProductVariantChannelListing.objects.filter(
            AnyOf("variant__product_id", product_ids), channel__slug=channel_slug
        )
        .values("variant__product_id")
        .annotate(lowest=Min("price_amount"))
        .order_by()
    )
)


def _lowest_prices(product_ids: list[int]) -> dict[int, int]:
    rows = _LOWEST_PRICES(product_ids=product_ids, channel_slug=settings.OCOP_CHANNEL_SLUG)
    return {row["variant__product_id"]: row["lowest"] for row in rows}


def _first_images(product_ids: list[int]) -> dict[int, ProductMedia]:
    first: dict[int, ProductMedia] = {}
    for media in ready_media_of_products(product_ids=product_ids):
        first.setdefault(media.product_id, media)
    return first


def product_cards(products: list[Product]) -> list[ProductCard]:
    """Cards for these products, in their order: two queries (prices, images) whatever their number."""
    ids = [product.pk for product in products]
    if not ids:
        return []
    prices = _lowest_prices(ids)
    images = _first_images(ids)
    return [
        ProductCard(
            product=product,
            stars=product.current_certification.stars if product.current_certification else 0,
            price_from=prices.get(product.pk),
            thumbnail_url=media_url(images[product.pk], THUMBNAIL_SIZE) if product.pk in images else None,
        )
        for product in products
    ]


# The home page


@dataclass(frozen=True)
class ProductGroup:
    category: Category
    listed_count: int


def featured_products(*, limit: int = FEATURED_LIMIT) -> list[ProductCard]:
    """Listed 5-star products, by name (the ids are cached until the catalogue changes)."""
    ids = catalogue_cached(
        kind="web-featured",
        fingerprint=limit,
        compute=lambda: list(
            listed_products()
            .filter(current_certification__stars=5)
            .order_by("name", "pk")
            .values_list("pk", flat=True)[:limit]
        ),
    )
    return product_cards(listed_products_in_order(product_ids=ids))  # the gate, once more


def product_groups() -> list[ProductGroup]:
    """The OCOP product groups with how many listed products each holds (groups without any left out)."""
    day = local_today()

    def count() -> list[tuple[int, int]]:
        listed = Q(group_products__listing_state=ListingState.LISTED) & valid_certification_q(
            day, prefix="group_products__current_certification__"
        )
        rows = (
            Category.objects.filter(kind=Category.Kind.GROUP)
            .annotate(listed_count=Count("group_products", filter=listed))
            .filter(listed_count__gt=0)
            .values_list("pk", "listed_count")
        )
        return list(rows)

    counts = dict(catalogue_cached(kind="web-groups", fingerprint="groups", compute=count, today=day))
    groups = Category.objects.filter(pk__in=counts).order_by("scheme", "code", "name", "pk")
    return [ProductGroup(category=group, listed_count=counts[group.pk]) for group in groups]


def outlets_near_tourist_sites() -> list[Outlet]:
    """The active showrooms and tourist-site outlets, by name."""
    return list(
        Outlet.objects.filter(is_active=True, kind__in=[OutletKind.TOURIST_SITE, OutletKind.SHOWROOM]).order_by(
            "name", "pk"
        )
    )


# The catalogue


@dataclass(frozen=True)
class CataloguePage:
    cards: list[ProductCard]
    total: int
    facets: dict[Facet, list[FacetValue]]
    # Nothing matched the words: these are products with similar names (`SearchResult.corrected`).
    similar_names: bool = False


def catalogue_page(*, query: SearchQuery, english: bool = False) -> CataloguePage:
    """One page of the product search (`search.selectors.product_search`, as the API's productSearch).

    The facet values of groups and outlets are labelled from their rows (English names when asked);
    the others as the search labels them.
    """
    result: SearchResult = product_search(query=query)
    cards = product_cards(listed_products_in_order(product_ids=result.product_ids))
    facets = dict(result.facets)
    if english and facets.get(Facet.GROUP):
        names = dict(
            Category.objects.filter(pk__in=[int(v.value) for v in facets[Facet.GROUP]]).values_list("pk", "name_en")
        )
        facets[Facet.GROUP] = [_relabel(v, names.get(int(v.value))) for v in facets[Facet.GROUP]]
    if english and facets.get(Facet.OUTLET):
        names = dict(
            Outlet.objects.filter(pk__in=[int(v.value) for v in facets[Facet.OUTLET]]).values_list("pk", "name_en")
        )
        facets[Facet.OUTLET] = [_relabel(v, names.get(int(v.value))) for v in facets[Facet.OUTLET]]
    return CataloguePage(
        cards=cards, total=max(result.total, 0), facets=facets, similar_names=result.corrected and bool(cards)
    )


def _relabel(value: FacetValue, label: str | None) -> FacetValue:
    return FacetValue(value=value.value, label=label or value.label, count=value.count) if label else value


# The provenance page


@dataclass(frozen=True)
class OutletStock:
    outlet: Outlet
    variant: ProductVariant
    available: int


@dataclass(frozen=True)
class VariantOffer:
    variant: ProductVariant
    price: int | None
    available: int


@dataclass
class Provenance:
    product: Product
    for_sale: bool
    not_for_sale_reason: str | None  # a ListingReason value when not for sale
    certificate: Certification | None  # the one it is listed under, or its latest
    history: list[Certification]
    images: list[ProductMedia]
    offers: list[VariantOffer] = field(default_factory=list)
    stock: list[OutletStock] = field(default_factory=list)
    collections: list[Collection] = field(default_factory=list)  # the published ones it is in, while for sale

    @property
    def price_from(self) -> int | None:
        prices = [offer.price for offer in self.offers if offer.price is not None]
        return min(prices) if prices else None

    @property
    def available(self) -> int:
        return sum(offer.available for offer in self.offers if offer.price is not None)


# The provenance page's reads, each compiled once (marketplace.core.statements).
_PRODUCT_BY_SLUG = Statement(
    lambda slug: (
        Product.objects.select_related("producer", "group", "category", "current_certification")
        .defer("current_certification__raw")
        .filter(slug=slug)
        .order_by("pk")[:1]
    )
)
_PRICES = Statement(
    lambda product_id, channel_slug: ProductVariantChannelListing.objects.filter(
        variant__product_id=product_id, channel__slug=channel_slug
    ).only("variant_id", "price_amount")
)
_STOCK = Statement(
    lambda product_id: (
        Stock.objects.filter(variant__product_id=product_id, outlet__is_active=True)
        .select_related("outlet")
        .order_by("outlet__name", "outlet_id", "variant_id")
    )
)


def product_provenance(*, slug: str, today: datetime.date | None = None) -> Provenance | None:
    """Everything the provenance page shows of the product `slug`, or None if there is none.

    A product that is not listed today keeps its provenance (certificates, producer, photos): people
    scan its label in shops. It is then not for sale, with the reason; its prices and stock are not read.
    """
    day = today or local_today()
    product = _PRODUCT_BY_SLUG.first(slug=slug)
    if product is None:
        return None
    history = certifications_of_products(product_ids=[product.pk])
    images = ready_media_of_products(product_ids=[product.pk])
    for_sale = _for_sale(product, day)
    certificate = product.current_certification or (history[0] if history else None)
    provenance = Provenance(
        product=product,
        for_sale=for_sale,
        not_for_sale_reason=None if for_sale else delisting_reason(current=certificate, today=day),
        certificate=certificate,
        history=history,
        images=images,
    )
    if for_sale:
        provenance.offers, provenance.stock = _offers_and_stock(product)
        provenance.collections = [row.collection for row in collections_of_products(product_ids=[product.pk])]
    return provenance


def _for_sale(product: Product, day: datetime.date) -> bool:
    """The gate (`listed_products`) on the row in hand, in its Python form: no second read of the same row."""
    return product.listing_state == ListingState.LISTED and bool(
        product.current_certification and product.current_certification.is_valid_on(day)
    )


def share_card(*, slug: str, today: datetime.date | None = None) -> ShareCard | None:
    """What the product's share card shows: its first photo, name, producer, and stars while it is for sale. Two
    reads (the product, its photos), not the provenance page's whole set."""
    product = _PRODUCT_BY_SLUG.first(slug=slug)
    if product is None:
        return None
    images = ready_media_of_products(product_ids=[product.pk])
    certificate = product.current_certification
    return ShareCard(
        title=product.name,
        subtitle=product.producer.name,
        stars=certificate.stars if certificate is not None and _for_sale(product, today or local_today()) else 0,
        photo=(images[0].image.name or "") if images else "",
    )


def product_exists(*, slug: str) -> bool:
    """Whether a product (listed or not) has this slug: its provenance page and QR code exist."""
    return Product.objects.filter(slug=slug).exists()


def _offers_and_stock(product: Product) -> tuple[list[VariantOffer], list[OutletStock]]:
    variants = variants_of_products(product_ids=[product.pk])
    listings = _PRICES(product_id=product.pk, channel_slug=settings.OCOP_CHANNEL_SLUG)
    prices = {listing.variant_id: listing.price_amount for listing in listings}
    by_variant = {variant.pk: variant for variant in variants}
    stock: list[OutletStock] = []
    available: dict[int, int] = defaultdict(int)
    for row in _STOCK(product_id=product.pk):
        if row.quantity_available <= 0 or row.variant_id not in by_variant:
            continue
        available[row.variant_id] += row.quantity_available
        stock.append(
            OutletStock(outlet=row.outlet, variant=by_variant[row.variant_id], available=row.quantity_available)
        )
    offers = [
        VariantOffer(variant=variant, price=prices.get(variant.pk), available=available[variant.pk])
        for variant in variants
    ]
    return offers, stock


# Verifying a certificate


class Verdict(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    SUPERSEDED = "superseded"
    BELOW_3_STARS = "below_3_stars"
    UNDER_REVIEW = "under_review"  # the registry's latest record of it failed validation
    UNKNOWN = "unknown"


def certificate_by_id(*, certificate_id: str) -> Certification | None:
    """The certificate with this id as typed (or in capitals), with its product and producer."""
    typed = certificate_id.strip()
    if not typed or len(typed) > CERTIFICATE_ID_MAX_LENGTH or "\x00" in typed:
        return None  # no certificate's id is that long or holds a NUL (which PostgreSQL refuses to compare)
    return (
        Certification.objects.filter(certificate_id__in={typed, typed.upper()})
        .select_related("product", "producer")
        .defer("raw")
        .first()
    )


def certificate_verdict(certificate: Certification | None, *, today: datetime.date | None = None) -> Verdict:
    """What a shopper should make of a certificate today: the gate's own reasons (`delisting_reason`),
    so the verify page and the listing never disagree; the dates are checked, not taken from the status."""
    day = today or local_today()
    if certificate is None:
        return Verdict.UNKNOWN
    if certificate.is_valid_on(day):
        return Verdict.VALID
    return _VERDICT_OF_REASON.get(delisting_reason(current=certificate, today=day), Verdict.NOT_YET_VALID)


_VERDICT_OF_REASON: dict[str, Verdict] = {  # by value, as `delisting_reason` gives it
    ListingReason.QUARANTINED: Verdict.UNDER_REVIEW,
    ListingReason.REVOKED: Verdict.REVOKED,
    ListingReason.SUSPENDED: Verdict.SUSPENDED,
    ListingReason.SUPERSEDED: Verdict.SUPERSEDED,
    ListingReason.CERTIFICATE_EXPIRED: Verdict.EXPIRED,
    ListingReason.DOWNGRADED: Verdict.BELOW_3_STARS,
    ListingReason.NOT_YET_VALID: Verdict.NOT_YET_VALID,
}
