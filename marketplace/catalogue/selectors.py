import datetime
from collections.abc import Iterable
from typing import TypeVar

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Sum

from marketplace.catalogue.models import (
    Category,
    Collection,
    CollectionProduct,
    ListingSpan,
    ListingState,
    ListingWindow,
    Product,
    ProductMedia,
    ProductVariant,
    ProductVariantChannelListing,
)
from marketplace.certification.selectors import valid_certification_q
from marketplace.channel.models import Channel
from marketplace.core.dates import local_today
from marketplace.core.db import AnyOf
from marketplace.core.statements import Statement
from marketplace.producers.models import Producer


def listed_products(*, today: datetime.date | None = None) -> QuerySet[Product]:
    """Products a shopper may see and buy right now.

    Besides the stored listing state, the certificate is checked against today's date here,
    so a certificate that expired at midnight stops selling at once, before the daily task
    records the delisting.
    """
    day = today or local_today()
    return (
        Product.objects.filter(listing_state=ListingState.LISTED)
        .filter(valid_certification_q(day, prefix="current_certification__"))
        .select_related("producer", "category", "group", "current_certification")
    )


# What a shopper's page never shows of the rows `listed_products()` joins: the certificate's raw registry record and
# the bookkeeping times of the producer and the certificate (not read, not parsed: ~100 timestamps a page).
UNSHOWN_COLUMNS = (
    "current_certification__raw",
    "current_certification__created_at",
    "current_certification__updated_at",
    "current_certification__registry_updated_at",
    "producer__created_at",
    "producer__updated_at",
)


def _listed_by_name(*order: str) -> Statement[Product]:
    return Statement(lambda today: listed_products(today=today).defer(*UNSHOWN_COLUMNS).order_by(*order))


_LISTED_BY_NAME = {False: _listed_by_name("name", "pk"), True: _listed_by_name("-name", "-pk")}


def listed_products_by_name(
    *, offset: int, limit: int, descending: bool = False, today: datetime.date | None = None
) -> list[Product]:
    """`limit` of `listed_products()` from `offset`, by name (then pk), without the `UNSHOWN_COLUMNS`: the
    catalogue's plainest page, one compiled statement whatever the page."""
    return _LISTED_BY_NAME[descending].page(offset=offset, limit=limit, today=today or local_today())


_LISTED_AMONG = Statement(
    lambda product_ids, today: (
        listed_products(today=today).select_related(None).filter(AnyOf("pk", product_ids)).values_list("pk", flat=True)
    )
)
_LISTED_BY_IDS = Statement(
    lambda product_ids, today: listed_products(today=today).defer(*UNSHOWN_COLUMNS).filter(AnyOf("pk", product_ids))
)


_LISTED_BY = {
    field: Statement(
        lambda key, today, field=field: (
            listed_products(today=today).defer(*UNSHOWN_COLUMNS).filter(**{field: key}).order_by("pk")[:1]
        )
    )
    for field in ("pk", "slug", "slug_en")
}


def listed_product_by_slug(
    *, slug: str, language: str | None = None, today: datetime.date | None = None
) -> Product | None:
    """`by_translated_slug(listed_products(), ...)` without the `UNSHOWN_COLUMNS`, as compiled statements."""
    day = today or local_today()
    for field in slug_fields(language):
        found = _LISTED_BY[field].first(key=slug, today=day)
        if found is not None:
            return found
    return None


def listed_product_by_id(*, product_id: int, today: datetime.date | None = None) -> Product | None:
    """The product `product_id` if `listed_products()` holds it, without the `UNSHOWN_COLUMNS` (compiled)."""
    return _LISTED_BY["pk"].first(key=product_id, today=today or local_today())


def listed_in_order(*, product_ids: list[int], today: datetime.date | None = None) -> list[int]:
    """The ids of `product_ids` that `listed_products()` holds, in the order given (one statement)."""
    listed = set(_LISTED_AMONG(product_ids=product_ids, today=today or local_today()))
    return [product_id for product_id in product_ids if product_id in listed]


def listed_products_in_order(*, product_ids: list[int], today: datetime.date | None = None) -> list[Product]:
    """The products of `product_ids` that `listed_products()` holds, without the `UNSHOWN_COLUMNS`, in the order
    given (one statement)."""
    by_pk = {product.pk: product for product in _LISTED_BY_IDS(product_ids=product_ids, today=today or local_today())}
    return [by_pk[product_id] for product_id in product_ids if product_id in by_pk]


_LISTED_TOTAL = f"""
    SELECT COALESCE(SUM(products), 0) FROM {ListingSpan._meta.db_table} WHERE starts <= %s AND until >= %s
"""


def listed_count(*, category_ids: Iterable[int] | None = None, today: datetime.date | None = None) -> int:
    """How many products `listed_products(today=today)` holds — in these categories when given (as the storefront
    filters them: a product set, an OCOP group, or a set of such a group) — from the read models the triggers keep:
    all of them from `ListingSpan` (a sum over as many rows as there are validity windows), in categories from
    `ListingWindow` (a few hundred rows in real data, however large the catalogue)."""
    day = today or local_today()
    if category_ids is None:
        with connection.cursor() as cursor:
            cursor.execute(_LISTED_TOTAL, [day, day])
            return int(cursor.fetchone()[0])
    ids = list(category_ids)
    windows = ListingWindow.objects.filter(starts__lte=day, until__gte=day)
    sets = Category.objects.filter(parent_id__in=ids).values("pk")
    windows = windows.filter(Q(category_id__in=ids) | Q(group_id__in=ids) | Q(category_id__in=sets))
    return windows.aggregate(total=Sum("products"))["total"] or 0


def listed_variants(*, today: datetime.date | None = None) -> QuerySet[ProductVariant]:
    """The variants of listed products (`listed_products`), each with its product as the gate reads it."""
    return ProductVariant.objects.filter(product__in=listed_products(today=today).values("pk")).select_related(
        "product__producer", "product__category", "product__group", "product__current_certification"
    )


M = TypeVar("M", Product, Category, Collection)


def slug_fields(language: str | None) -> tuple[str, ...]:
    """The slug fields a lookup in `language` tries, in order: in English ("en") its English slug, then its
    Vietnamese one (links made before the English slug existed keep working); in any other language, its
    Vietnamese slug."""
    return ("slug_en", "slug") if language == "en" else ("slug",)


def by_translated_slug(queryset: QuerySet[M], *, slug: str, language: str | None = None) -> M | None:
    """The row of `queryset` whose slug in `language` is `slug` (`slug_fields`)."""
    for field in slug_fields(language):
        found = queryset.filter(**{field: slug}).first()
        if found is not None:
            return found
    return None


def producers_with_listed_products() -> QuerySet[Producer]:
    """The producers a shopper may see: those selling at least one listed product today."""
    return Producer.objects.filter(Exists(listed_products().filter(producer=OuterRef("pk"))))


_READY_MEDIA = Statement(
    lambda product_ids: (
        ProductMedia.objects.filter(AnyOf("product_id", product_ids), status=ProductMedia.Status.READY)
        .defer("created_at", "updated_at")  # no page shows them
        .order_by("product_id", "sort_order", "pk")
    )
)
_VARIANTS = Statement(
    lambda product_ids: ProductVariant.objects.filter(AnyOf("product_id", product_ids)).order_by(
        "product_id", "sort_order", "sku"
    )
)


def ready_media_of_products(*, product_ids: Iterable[int]) -> list[ProductMedia]:
    """The images of these products that are ready to show, in their order."""
    return _READY_MEDIA(product_ids=list(product_ids))


def variants_of_products(*, product_ids: Iterable[int]) -> list[ProductVariant]:
    return _VARIANTS(product_ids=list(product_ids))


_VARIANT_PRICES = Statement(
    lambda variant_ids, channel_id: ProductVariantChannelListing.objects.filter(
        AnyOf("variant_id", variant_ids), channel_id=channel_id
    ).values_list("variant_id", "price_amount")
)


def variant_prices(*, variant_ids: Iterable[int], channel: Channel) -> dict[int, int]:
    """The prices of these variants in `channel`, in whole đồng, by variant id (those without one left out)."""
    return dict(_VARIANT_PRICES(variant_ids=list(variant_ids), channel_id=channel.pk))


def variant_price_in_channel(*, variant: OuterRef, channel_id: int) -> Subquery:
    """The price in whole đồng of the variant `variant` refers to, in the channel: for an annotation."""
    listing = ProductVariantChannelListing.objects.filter(variant_id=variant, channel_id=channel_id)
    return Subquery(listing.values("price_amount")[:1])


def categories() -> QuerySet[Category]:
    """The OCOP product groups and product sets, groups in their scheme's order."""
    return Category.objects.order_by("scheme", "code", "name", "pk")


def published_collections() -> QuerySet[Collection]:
    return Collection.objects.filter(is_published=True).order_by("name", "pk")


_COLLECTIONS_OF_PRODUCTS = Statement(
    lambda product_ids: (
        CollectionProduct.objects.filter(AnyOf("product_id", product_ids), collection__is_published=True)
        .select_related("collection")
        .order_by("product_id", "collection__name", "collection_id")
    )
)


def collections_of_products(*, product_ids: Iterable[int]) -> list[CollectionProduct]:
    """The memberships of these products in published collections, with their collections (compiled once)."""
    return _COLLECTIONS_OF_PRODUCTS(product_ids=list(product_ids))
