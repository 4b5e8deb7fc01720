"""`filter.attributes` and `where.attributes` of `products`, with Saleor's input types (their slug/name subset)."""

from __future__ import annotations

from typing import Any

import graphene
from django.db.models import QuerySet

from marketplace.catalogue.models import Product
from storefront_api.attribute.definitions import filter_by_attribute_values


class StringFilterInput(graphene.InputObjectType):
    eq = graphene.String()
    one_of = graphene.List(graphene.NonNull(graphene.String))


class AssignedAttributeValueInput(graphene.InputObjectType):
    slug = graphene.Field(StringFilterInput, description="Filter by the value's slug.")
    name = graphene.Field(StringFilterInput, description="Filter by the value's name.")


class AttributeInput(graphene.InputObjectType):
    slug = graphene.String(description="Internal representation of an attribute name.")
    value = graphene.Field(AssignedAttributeValueInput, description="Filter by the value of the attribute.")
    values = graphene.List(
        graphene.NonNull(graphene.String),
        description="Slugs identifying the attributeValues associated with the Attribute.",
        deprecation_reason="Use `value` instead.",
    )


class ProductWhereInput(graphene.InputObjectType):
    """Saleor's `where` of products; of its fields, only `attributes` for now."""

    attributes = graphene.List(graphene.NonNull(AttributeInput), description="Filter by attributes of the product.")


def _strings(string_filter: dict[str, Any] | None) -> list[str]:
    if not string_filter:
        return []
    found = list(string_filter.get("one_of") or [])
    if string_filter.get("eq") is not None:
        found.append(string_filter["eq"])
    return found


def filter_products_by_attributes(
    queryset: QuerySet[Product], attributes: list[dict[str, Any]] | None
) -> QuerySet[Product]:
    """Products matching every `AttributeInput`: one of its `values` (slugs), or of its `value` slugs and names."""
    wanted = []
    for attribute in attributes or []:
        value = attribute.get("value") or {}
        slugs = list(attribute.get("values") or []) + _strings(value.get("slug"))
        names = _strings(value.get("name"))
        if attribute.get("slug") is not None and (slugs or names):
            wanted.append((attribute["slug"], slugs, names))
    return filter_by_attribute_values(queryset, wanted)


def with_where(product_filter: dict[str, Any] | None, where: dict[str, Any] | None) -> dict[str, Any] | None:
    """`filter` with the conditions of `where` added (both must hold)."""
    if not where or not where.get("attributes"):
        return product_filter
    merged = dict(product_filter or {})
    merged["attributes"] = [*(merged.get("attributes") or []), *where["attributes"]]
    return merged
