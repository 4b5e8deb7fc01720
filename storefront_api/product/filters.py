"""Filtering and sorting of products (`products`, `Category.products`, `Collection.products`) with Saleor's inputs."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

import graphene
from django.contrib.postgres.fields import ArrayField
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    Min,
    OrderBy,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from marketplace.catalogue.models import (
    Collection,
    CollectionProduct,
    ListingState,
    Product,
    ProductVariant,
    ProductVariantChannelListing,
)
from marketplace.channel.models import Channel
from marketplace.core.db import AnyOf
from marketplace.core.text import fold
from marketplace.inventory.models import Stock
from search.selectors import ranked_product_ids
from storefront_api.attribute.filters import AttributeInput, StringFilterInput, attributes_q
from storefront_api.core.descriptions import DEPRECATED_INPUT_USE_ROOT_CHANNEL
from storefront_api.core.errors import StorefrontError, StorefrontErrorCode
from storefront_api.core.ids import resolve_global_id
from storefront_api.core.scalars import Decimal as DecimalScalar
from storefront_api.core.types import OrderDirection, SortDirection
from storefront_api.page.filters import GlobalIDFilterInput


class PriceRangeInput(graphene.InputObjectType):
    gte = graphene.Float(description="Price greater than or equal to, in đồng.")
    lte = graphene.Float(description="Price less than or equal to, in đồng.")


class DecimalRangeInput(graphene.InputObjectType):
    gte = DecimalScalar(description="Decimal value greater than or equal to.")
    lte = DecimalScalar(description="Decimal value less than or equal to.")


class DecimalFilterInput(graphene.InputObjectType):
    eq = DecimalScalar(description="The value equal to.")
    one_of = graphene.List(graphene.NonNull(DecimalScalar), description="The value included in.")
    range = graphene.Field(DecimalRangeInput, description="The value in range.")


class DateTimeRangeInput(graphene.InputObjectType):
    gte = graphene.DateTime(description="Start date.")
    lte = graphene.DateTime(description="End date.")


class DateTimeFilterInput(graphene.InputObjectType):
    eq = graphene.DateTime(description="The value equal to.")
    one_of = graphene.List(graphene.NonNull(graphene.DateTime), description="The value included in.")
    range = graphene.Field(DateTimeRangeInput, description="The value in range.")


class MetadataFilter(graphene.InputObjectType):
    key = graphene.String(required=True, description="Key of a metadata item.")
    value = graphene.String(description="Value of a metadata item.")


class StockAvailability(graphene.Enum):
    IN_STOCK = "in_stock"
    OUT_OF_STOCK = "out_of_stock"


def _saleor_fields() -> dict[str, Any]:
    """The fields `filter` and `where` share whose answer follows from what the storefront shows: every product it
    sees is published, visible and available in the one channel; none is a gift card or on preorder; products keep
    no metadata."""
    return {
        "is_published": graphene.Boolean(),
        "is_visible_in_listing": graphene.Boolean(),
        "is_available": graphene.Boolean(),
        "has_category": graphene.Boolean(),
        "gift_card": graphene.Boolean(),
        "has_preordered_variants": graphene.Boolean(),
        "published_from": graphene.DateTime(description="Products listed at or before this time."),
        "available_from": graphene.DateTime(description="Products listed at or before this time."),
        "stock_availability": graphene.Argument(StockAvailability, description="In stock at some outlet, or not."),
        "metadata": graphene.List(graphene.NonNull(MetadataFilter)),
    }


class ProductFilterInput(graphene.InputObjectType):
    locals().update(_saleor_fields())
    updated_at = graphene.Field(DateTimeRangeInput)
    channel = graphene.String(description=f"The channel.{DEPRECATED_INPUT_USE_ROOT_CHANNEL}")
    collections = graphene.List(graphene.NonNull(graphene.ID), description="Published collections.")
    categories = graphene.List(
        graphene.NonNull(graphene.ID), description="Categories (OCOP groups or product sets), with their product sets."
    )
    attributes = graphene.List(graphene.NonNull(AttributeInput), description="Filter by attributes of the product.")
    search = graphene.String(
        description="Words as shoppers type them, with or without diacritics: name, producer, place, group."
    )
    price = graphene.Field(PriceRangeInput, description="A variant's price in the channel, in đồng.")
    minimal_price = graphene.Field(PriceRangeInput, description="The product's lowest price in the channel, in đồng.")
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))


class ProductWhereInput(graphene.InputObjectType):
    locals().update(_saleor_fields())
    updated_at = graphene.Field(DateTimeFilterInput)
    ids = graphene.List(graphene.NonNull(graphene.ID))
    name = graphene.Field(StringFilterInput, description="Filter by product name (Vietnamese or English).")
    slug = graphene.Field(StringFilterInput, description="Filter by product slug (Vietnamese or English).")
    category = graphene.Field(
        GlobalIDFilterInput, description="Filter by category (an OCOP group or product set), with its product sets."
    )
    collection = graphene.Field(GlobalIDFilterInput, description="Filter by published collection.")
    price = graphene.Field(DecimalFilterInput, description="Filter by a variant's price in the channel, in đồng.")
    minimal_price = graphene.Field(
        DecimalFilterInput, description="Filter by the product's lowest price in the channel, in đồng."
    )
    attributes = graphene.List(graphene.NonNull(AttributeInput), description="Filter by attributes of the product.")
    AND = graphene.List(graphene.NonNull(lambda: ProductWhereInput), description="List of conditions that must be met.")
    OR = graphene.List(
        graphene.NonNull(lambda: ProductWhereInput),
        description="A list of conditions of which at least one must be met.",
    )


def with_where(product_filter: dict[str, Any] | None, where: dict[str, Any] | None) -> dict[str, Any] | None:
    """`filter` with `where` attached: both must hold."""
    if not where:
        return product_filter
    return {**(product_filter or {}), "where": where}


class ProductSortField(enum.StrEnum):
    NAME = "name"
    RANK = "rank"
    PRICE = "price"
    MINIMAL_PRICE = "minimal_price"
    LAST_MODIFIED = "last_modified"
    DATE = "date"
    TYPE = "type"
    PUBLISHED = "published"
    PUBLICATION_DATE = "publication_date"
    PUBLISHED_AT = "published_at"
    LAST_MODIFIED_AT = "last_modified_at"
    COLLECTION = "collection"
    RATING = "rating"
    CREATED_AT = "created_at"

    @property
    def description(self) -> str:
        return f"Sort products by {_SORT_DESCRIPTIONS[self]}"

    @property
    def deprecation_reason(self) -> str | None:
        return _SORT_DEPRECATIONS.get(self)


_SORT_DESCRIPTIONS = {
    ProductSortField.NAME: "name.",
    ProductSortField.RANK: "rank. Note: This option is available only with the `search` filter.",
    ProductSortField.PRICE: "price (a variant's lowest price in the channel).",
    ProductSortField.MINIMAL_PRICE: "a minimal price of a product's variant in the channel.",
    ProductSortField.LAST_MODIFIED: "update date.",
    ProductSortField.DATE: "update date.",
    ProductSortField.TYPE: "type (the OCOP product group).",
    ProductSortField.PUBLISHED: "publication status (every product the storefront sees is listed).",
    ProductSortField.PUBLICATION_DATE: "publication date (when the product was last listed).",
    ProductSortField.PUBLISHED_AT: "publication date (when the product was last listed).",
    ProductSortField.LAST_MODIFIED_AT: "update date.",
    ProductSortField.COLLECTION: (
        "collection. Note: This option is available only for the `Collection.products` query (elsewhere: by name)."
    ),
    ProductSortField.RATING: "rating: OCOP stars, then the evaluation score.",
    ProductSortField.CREATED_AT: "creation date.",
}
_SORT_DEPRECATIONS = {
    ProductSortField.DATE: "Use `LAST_MODIFIED_AT` instead.",
    ProductSortField.LAST_MODIFIED: "Use `LAST_MODIFIED_AT` instead.",
    ProductSortField.PUBLICATION_DATE: "Use `PUBLISHED_AT` instead.",
}


class ProductOrderField(graphene.Enum):
    class Meta:
        enum = ProductSortField


class ProductOrder(graphene.InputObjectType):
    direction = graphene.InputField(OrderDirection, required=True, description="Specifies the direction of the sort.")
    channel = graphene.String(description=f"The channel.{DEPRECATED_INPUT_USE_ROOT_CHANNEL}")
    field = graphene.Field(ProductOrderField, description="Sort products by the selected field.")


SEARCH_RANK = "search_rank"


def search_products(queryset: QuerySet[Product], search: str) -> QuerySet[Product]:
    """The products of `queryset` the search backend finds for `search`, annotated with their rank.

    `queryset` keeps the listing gate: whatever the index says, a delisted product stays out.
    """
    ids = ranked_product_ids(text=search)
    queryset = queryset.filter(AnyOf("pk", ids))  # up to 1,000 ids in one parameter: one prepared statement
    if SEARCH_RANK in queryset.query.annotations:  # `search` and `filter.search` both given: the first ranks
        return queryset
    ranks = Value(ids, output_field=ArrayField(BigIntegerField()))
    rank = Func(ranks, F("pk"), function="array_position", output_field=IntegerField())
    return queryset.annotate(**{SEARCH_RANK: rank})


def _categories_q(category_ids: list[int]) -> Q:
    """Products in these categories or their product sets, or in these OCOP groups."""
    return Q(category_id__in=category_ids) | Q(category__parent_id__in=category_ids) | Q(group_id__in=category_ids)


def filter_by_categories(queryset: QuerySet[Product], category_ids: list[int]) -> QuerySet[Product]:
    return queryset.filter(_categories_q(category_ids))


def filter_category_ids(values: list[str]) -> list[int]:
    """The categories a filter's `categories` names (global ids), as `filter_products` reads them."""
    return _ids(values, only_type="Category", field="categories")


def _ids(values: list[str], *, only_type: str, field: str) -> list[int]:
    return [resolve_global_id(value, only_type=only_type, field=field) for value in values]


def _global_ids(id_filter: dict[str, Any], *, only_type: str, field: str) -> list[int] | None:
    """The ids a `GlobalIDFilterInput` names (`eq` and `oneOf` together), None when it names none."""
    if id_filter.get("eq") is None and id_filter.get("one_of") is None:
        return None
    values = [*([id_filter["eq"]] if id_filter.get("eq") is not None else []), *(id_filter.get("one_of") or [])]
    return _ids(values, only_type=only_type, field=field)


def _strings_q(string_filter: dict[str, Any], *columns: str) -> Q:
    """`eq` and `oneOf` of a `StringFilterInput`, met by any of `columns`."""
    q = Q()
    for lookup, value in (("exact", string_filter.get("eq")), ("in", string_filter.get("one_of"))):
        if value is not None:
            either = Q(pk__in=[])
            for column in columns:
                either |= Q(**{f"{column}__{lookup}": value})
            q &= either
    return q


def _in_collections_q(collection_ids: list[int]) -> Q:
    memberships = CollectionProduct.objects.filter(collection_id__in=collection_ids, collection__is_published=True)
    return Q(pk__in=memberships.values("product_id"))


def _price_bounds(price: dict[str, Any]) -> list[Q]:
    """The conditions on an amount (`amount`) of a `PriceRangeInput` or a `DecimalFilterInput`, in đồng."""
    bounds = []
    price_range = price.get("range") or price
    if price_range.get("gte") is not None:
        bounds.append(Q(amount__gte=Decimal(str(price_range["gte"]))))
    if price_range.get("lte") is not None:
        bounds.append(Q(amount__lte=Decimal(str(price_range["lte"]))))
    if price.get("eq") is not None:
        bounds.append(Q(amount=price["eq"]))
    if price.get("one_of") is not None:
        bounds.append(Q(amount__in=price["one_of"]))
    return bounds


def _price_q(price: dict[str, Any], channel: Channel) -> Q:
    """Products with a variant whose price in `channel` meets `price`."""
    listings = ProductVariantChannelListing.objects.filter(channel=channel).annotate(amount=F("price_amount"))
    for bound in _price_bounds(price):
        listings = listings.filter(bound)
    return Q(pk__in=listings.values("variant__product_id"))


def _minimal_price_q(price: dict[str, Any], channel: Channel) -> Q:
    """Products whose lowest variant price in `channel` meets `price`."""
    lowest = (
        ProductVariantChannelListing.objects.filter(channel=channel)
        .values("variant__product_id")
        .annotate(amount=Min("price_amount"))
    )
    for bound in _price_bounds(price):
        lowest = lowest.filter(bound)
    return Q(pk__in=lowest.values("variant__product_id"))


_NOTHING = Q(pk__in=[])


def _shared_q(conditions: dict[str, Any]) -> Q:
    """The conditions `_saleor_fields` adds to `filter` and `where`."""
    q = Q()
    for always in ("is_published", "is_visible_in_listing", "is_available"):
        if conditions.get(always) is False:
            q &= _NOTHING
    for never in ("gift_card", "has_preordered_variants"):
        if conditions.get(never) is True:
            q &= _NOTHING
    if conditions.get("metadata"):
        q &= _NOTHING
    if conditions.get("has_category") is not None:
        has_category = Q(category__isnull=False) | Q(group__isnull=False)
        q &= has_category if conditions["has_category"] else ~has_category
    for since in ("published_from", "available_from"):
        if conditions.get(since) is not None:
            q &= Q(listing_changed_at__lte=conditions[since])
    availability = getattr(conditions.get("stock_availability"), "value", conditions.get("stock_availability"))
    if availability is not None:
        in_stock = Q(pk__in=Stock.objects.filter(quantity__gt=F("quantity_allocated")).values("variant__product_id"))
        q &= in_stock if availability == "in_stock" else ~in_stock
    updated_at = conditions.get("updated_at") or {}
    bounds = updated_at.get("range") or updated_at
    if bounds.get("gte") is not None:
        q &= Q(updated_at__gte=bounds["gte"])
    if bounds.get("lte") is not None:
        q &= Q(updated_at__lte=bounds["lte"])
    if updated_at.get("eq") is not None:
        q &= Q(updated_at=updated_at["eq"])
    if updated_at.get("one_of") is not None:
        q &= Q(updated_at__in=updated_at["one_of"])
    return q


def _where_q(where: dict[str, Any], channel: Channel) -> Q:
    """One `ProductWhereInput`: its fields, its `AND` list and one of its `OR` list must all hold."""
    q = _shared_q(where)
    if where.get("ids") is not None:
        q &= Q(pk__in=_ids(where["ids"], only_type="Product", field="ids"))
    if where.get("name"):
        q &= _strings_q(where["name"], "name", "name_en")
    if where.get("slug"):
        q &= _strings_q(where["slug"], "slug", "slug_en")
    category_ids = _global_ids(where.get("category") or {}, only_type="Category", field="category")
    if category_ids is not None:
        q &= _categories_q(category_ids)
    collection_ids = _global_ids(where.get("collection") or {}, only_type="Collection", field="collection")
    if collection_ids is not None:
        q &= _in_collections_q(collection_ids)
    if where.get("price"):
        q &= _price_q(where["price"], channel)
    if where.get("minimal_price"):
        q &= _minimal_price_q(where["minimal_price"], channel)
    if where.get("attributes"):
        q &= attributes_q(where["attributes"])
    for condition in where.get("AND") or []:
        q &= _where_q(condition, channel)
    if where.get("OR"):
        either = Q(pk__in=[])
        for condition in where["OR"]:
            either |= _where_q(condition, channel)
        q &= either
    return q


def filter_products(
    queryset: QuerySet[Product], product_filter: dict | None, search: str | None, *, channel: Channel
) -> QuerySet[Product]:
    """The products of `queryset` meeting `filter` (and the `where` attached to it by `with_where`) and `search`.

    Prices are read in `channel`.
    """
    product_filter = product_filter or {}
    if product_filter.get("categories"):
        queryset = queryset.filter(_categories_q(filter_category_ids(product_filter["categories"])))
    if product_filter.get("collections"):
        queryset = queryset.filter(
            _in_collections_q(_ids(product_filter["collections"], only_type="Collection", field="collections"))
        )
    if product_filter.get("ids") is not None:
        queryset = queryset.filter(pk__in=_ids(product_filter["ids"], only_type="Product", field="ids"))
    if product_filter.get("slugs") is not None:
        queryset = queryset.filter(slug__in=product_filter["slugs"])
    if product_filter.get("price"):
        queryset = queryset.filter(_price_q(product_filter["price"], channel))
    if product_filter.get("minimal_price"):
        queryset = queryset.filter(_minimal_price_q(product_filter["minimal_price"], channel))
    if product_filter.get("attributes"):
        queryset = queryset.filter(attributes_q(product_filter["attributes"]))
    queryset = queryset.filter(_shared_q(product_filter))
    if product_filter.get("where"):
        queryset = queryset.filter(_where_q(product_filter["where"], channel))
    for text in (search, product_filter.get("search")):
        if text and text.strip():
            queryset = search_products(queryset, text)
    return queryset


def sort_field(sort_by: dict | None) -> ProductSortField | None:
    # Enums nested in input objects arrive as members, not values.
    field = (sort_by or {}).get("field")
    return None if field is None else ProductSortField(getattr(field, "value", field))


def sort_descending(sort_by: dict | None) -> bool:
    """Whether `sortBy` asks for DESC (what a field chosen by default means is `sort_products`' to say)."""
    return getattr((sort_by or {}).get("direction"), "value", None) == SortDirection.DESC.value


def check_product_sort(sort_by: dict | None, *, searched: bool) -> None:
    """Saleor's rule: sorting by RANK needs a search."""
    if sort_field(sort_by) == ProductSortField.RANK and not searched:
        raise StorefrontError(
            "Sorting by RANK is available only when using a search filter.", code=StorefrontErrorCode.GRAPHQL_ERROR
        )


def sort_products(
    queryset: QuerySet[Product],
    sort_by: dict | None,
    channel: Channel,
    *,
    collection: Collection | None = None,
) -> QuerySet[Product]:
    """Order by the chosen field, then by name and pk (in the same direction, as Saleor does) so pages are stable.

    When nothing is chosen: by search rank after a search, by name otherwise. COLLECTION is the collection's own
    order inside `Collection.products` (`collection` given, its memberships already joined), by name elsewhere.
    Prices are read in `channel`; Saleor's default channel stands in when a query names none.
    """
    field = sort_field(sort_by)
    searched = SEARCH_RANK in queryset.query.annotations
    check_product_sort(sort_by, searched=searched)
    descending = sort_descending(sort_by)
    if field is None:
        field = ProductSortField.RANK if searched else ProductSortField.NAME
        descending = field == ProductSortField.RANK  # best first
    tie: tuple[str, ...] = ("-name", "-pk") if descending else ("name", "pk")

    def key(expression: Any, *, nulls_last: bool = False) -> OrderBy:
        if descending:
            return expression.desc(nulls_last=nulls_last or None)
        return expression.asc(nulls_last=nulls_last or None)

    keys: list[Any]
    if field == ProductSortField.RANK:  # array_position: 1 is the best match
        return queryset.order_by(F(SEARCH_RANK).asc() if descending else F(SEARCH_RANK).desc(), "pk")
    if field in (ProductSortField.PRICE, ProductSortField.MINIMAL_PRICE):
        queryset = queryset.annotate(
            min_price=Min(
                "variants__channel_listings__price_amount",
                filter=Q(variants__channel_listings__channel=channel),
            )
        )
        keys = [key(F("min_price"), nulls_last=True)]
    elif field == ProductSortField.RATING:
        keys = [
            key(F("current_certification__stars"), nulls_last=True),
            key(F("current_certification__score"), nulls_last=True),
        ]
    elif field == ProductSortField.TYPE:
        keys = [key(Coalesce(F("group__name"), Value("OCOP")))]
    elif field == ProductSortField.PUBLISHED:
        is_listed = Case(When(listing_state=ListingState.LISTED, then=True), default=False, output_field=BooleanField())
        keys = [key(is_listed)]
    elif field == ProductSortField.COLLECTION:
        keys = [] if collection is None else [key(F("collection_memberships__sort_order"))]
    else:
        column = {
            ProductSortField.NAME: "name",
            ProductSortField.CREATED_AT: "created_at",
            ProductSortField.LAST_MODIFIED: "updated_at",
            ProductSortField.LAST_MODIFIED_AT: "updated_at",
            ProductSortField.DATE: "updated_at",
            ProductSortField.PUBLISHED_AT: "listing_changed_at",
            ProductSortField.PUBLICATION_DATE: "listing_changed_at",
        }[field]
        keys = [key(F(column), nulls_last=True)]
    return queryset.order_by(*keys, *tie)


class ProductVariantFilterInput(graphene.InputObjectType):
    search = graphene.String(description="Words in the variant's name or SKU.")
    sku = graphene.List(graphene.NonNull(graphene.String))


class ProductVariantWhereInput(graphene.InputObjectType):
    ids = graphene.List(graphene.NonNull(graphene.ID))
    sku = graphene.Field(StringFilterInput, description="Filter by the variant's SKU.")


class ProductVariantSortField(enum.StrEnum):
    LAST_MODIFIED_AT = "last_modified_at"


class ProductVariantSortFieldEnum(graphene.Enum):
    class Meta:
        name = "ProductVariantSortField"
        enum = ProductVariantSortField


class ProductVariantSortingInput(graphene.InputObjectType):
    direction = graphene.InputField(OrderDirection, required=True, description="Specifies the direction of the sort.")
    field = graphene.InputField(
        ProductVariantSortFieldEnum, required=True, description="Sort variants by the selected field."
    )


def _wanted_skus(variant_filter: dict | None, where: dict | None) -> list[set[str]]:
    """Each SKU condition of `filter` and `where` (a variant must meet all of them)."""
    conditions = []
    if (variant_filter or {}).get("sku") is not None:
        conditions.append(set(variant_filter["sku"]))  # type: ignore[index]
    sku = (where or {}).get("sku")
    if sku:
        conditions.append(set(sku.get("one_of") or []) | ({sku["eq"]} if sku.get("eq") is not None else set()))
    return conditions


def _wanted_ids(where: dict | None) -> set[int] | None:
    ids = (where or {}).get("ids")
    if ids is None:
        return None
    return {resolve_global_id(value, only_type="ProductVariant", field="ids") for value in ids}


def variant_matches(variant: ProductVariant, *, variant_filter: dict | None, where: dict | None) -> bool:
    """Whether a variant meets `filter` and `where` (used on a product's variants, already loaded)."""
    ids = _wanted_ids(where)
    if ids is not None and variant.pk not in ids:
        return False
    if any(variant.sku not in skus for skus in _wanted_skus(variant_filter, where)):
        return False
    words = fold((variant_filter or {}).get("search") or "").split()
    haystack = fold(f"{variant.name} {variant.sku}")
    return all(word in haystack for word in words)


def filter_variants(
    queryset: QuerySet[ProductVariant], *, variant_filter: dict | None, where: dict | None, search: str | None
) -> QuerySet[ProductVariant]:
    """The variants of `queryset` that meet `filter`, `where` and `search` (words in the name or SKU)."""
    ids = _wanted_ids(where)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    for skus in _wanted_skus(variant_filter, where):
        queryset = queryset.filter(sku__in=sorted(skus))
    for text in (search, (variant_filter or {}).get("search")):
        for word in (text or "").split():
            queryset = queryset.filter(Q(name__icontains=word) | Q(sku__icontains=word))
    return queryset


def variant_sort_key(sort_by: dict | None) -> tuple[str, ...]:
    """The order of variants: as their producer set it, or by last change when asked."""
    if not sort_by:
        return ("sort_order", "sku")
    descending = getattr(sort_by.get("direction"), "value", None) == SortDirection.DESC.value
    return ("-updated_at", "-pk") if descending else ("updated_at", "pk")
