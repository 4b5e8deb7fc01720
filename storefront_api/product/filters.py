"""Filtering and sorting of the `products` query, with Saleor's inputs (a subset of their fields)."""

from __future__ import annotations

import enum

import graphene
from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, F, Func, IntegerField, Min, Q, QuerySet, Value

from marketplace.catalogue.models import Product, ProductVariant
from marketplace.channel.models import Channel
from marketplace.core.text import fold
from search.selectors import ranked_product_ids
from storefront_api.attribute.filters import AttributeInput, StringFilterInput, filter_products_by_attributes
from storefront_api.core.ids import resolve_global_id
from storefront_api.core.types import OrderDirection, SortDirection


class ProductFilterInput(graphene.InputObjectType):
    categories = graphene.List(graphene.NonNull(graphene.ID), description="Categories (OCOP groups or product sets).")
    search = graphene.String(
        description="Words as shoppers type them, with or without diacritics: name, producer, place, group."
    )
    ids = graphene.List(graphene.NonNull(graphene.ID))
    slugs = graphene.List(graphene.NonNull(graphene.String))
    attributes = graphene.List(graphene.NonNull(AttributeInput), description="Filter by attributes of the product.")


class ProductSortField(enum.StrEnum):
    NAME = "name"
    PRICE = "price"
    MINIMAL_PRICE = "minimal_price"
    CREATED_AT = "created_at"
    LAST_MODIFIED_AT = "last_modified_at"


class ProductOrderField(graphene.Enum):
    class Meta:
        enum = ProductSortField


class ProductOrder(graphene.InputObjectType):
    direction = graphene.Field(OrderDirection, required=True, description="Specifies the direction of the sort.")
    field = graphene.Field(ProductOrderField, description="Sort products by the selected field.")


SEARCH_RANK = "search_rank"


def search_products(queryset: QuerySet[Product], search: str) -> QuerySet[Product]:
    """The products of `queryset` the search backend finds for `search`, annotated with their rank.

    `queryset` keeps the listing gate: whatever the index says, a delisted product stays out.
    """
    ids = ranked_product_ids(text=search)
    queryset = queryset.filter(pk__in=ids)
    if SEARCH_RANK in queryset.query.annotations:  # `search` and `filter.search` both given: the first ranks
        return queryset
    ranks = Value(ids, output_field=ArrayField(BigIntegerField()))
    rank = Func(ranks, F("pk"), function="array_position", output_field=IntegerField())
    return queryset.annotate(**{SEARCH_RANK: rank})


def filter_by_categories(queryset: QuerySet[Product], category_ids: list[int]) -> QuerySet[Product]:
    """Products in these categories or their product sets, or in these OCOP groups."""
    return queryset.filter(
        Q(category_id__in=category_ids) | Q(category__parent_id__in=category_ids) | Q(group_id__in=category_ids)
    )


def filter_products(queryset: QuerySet[Product], product_filter: dict | None, search: str | None) -> QuerySet[Product]:
    product_filter = product_filter or {}
    if product_filter.get("categories"):
        pks = [
            resolve_global_id(value, only_type="Category", field="categories") for value in product_filter["categories"]
        ]
        queryset = queryset.filter(Q(category_id__in=pks) | Q(group_id__in=pks))
    if product_filter.get("ids") is not None:
        pks = [resolve_global_id(value, only_type="Product", field="ids") for value in product_filter["ids"]]
        queryset = queryset.filter(pk__in=pks)
    if product_filter.get("slugs") is not None:
        queryset = queryset.filter(slug__in=product_filter["slugs"])
    queryset = filter_products_by_attributes(queryset, product_filter.get("attributes"))
    for text in (search, product_filter.get("search")):
        if text and text.strip():
            queryset = search_products(queryset, text)
    return queryset


def sort_products(queryset: QuerySet[Product], sort_by: dict | None, channel: Channel) -> QuerySet[Product]:
    """Order by the chosen field, then by name and pk so pages are stable.

    When nothing is chosen: by search rank after a search, by name otherwise.
    """
    if not sort_by and SEARCH_RANK in queryset.query.annotations:
        return queryset.order_by(SEARCH_RANK, "pk")
    sort_by = sort_by or {}
    # Enums nested in input objects arrive as members, not values.
    field = getattr(sort_by.get("field"), "value", None) or ProductSortField.NAME.value
    descending = getattr(sort_by.get("direction"), "value", None) == SortDirection.DESC.value
    if field in (ProductSortField.PRICE.value, ProductSortField.MINIMAL_PRICE.value):
        queryset = queryset.annotate(
            min_price=Min(
                "variants__channel_listings__price_amount",
                filter=Q(variants__channel_listings__channel=channel),
            )
        )
        key = F("min_price").desc(nulls_last=True) if descending else F("min_price").asc(nulls_last=True)
    else:
        column = {
            ProductSortField.NAME.value: "name",
            ProductSortField.CREATED_AT.value: "created_at",
            ProductSortField.LAST_MODIFIED_AT.value: "updated_at",
        }[field]
        key = F(column).desc() if descending else F(column).asc()
    tie = ("-name", "-pk") if descending else ("name", "pk")
    return queryset.order_by(key, *tie)


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
    direction = graphene.Field(OrderDirection, required=True, description="Specifies the direction of the sort.")
    field = graphene.Field(
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
