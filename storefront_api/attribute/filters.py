"""`filter.attributes` and `where.attributes` of products, with Saleor's input types (their slug/name subset)."""

from __future__ import annotations

from typing import Any

import graphene
from django.db.models import Q

from storefront_api.attribute.definitions import attribute_values_q


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
        description="Slugs identifying the attributeValues associated with the Attribute."
        "\n\nDEPRECATED: this field will be removed; use `value` instead.",
    )


def _strings(string_filter: dict[str, Any] | None) -> list[str]:
    if not string_filter:
        return []
    found = list(string_filter.get("one_of") or [])
    if string_filter.get("eq") is not None:
        found.append(string_filter["eq"])
    return found


def attributes_q(attributes: list[dict[str, Any]] | None) -> Q:
    """Products matching every `AttributeInput`: one of its `values` (slugs), or of its `value` slugs and names."""
    wanted = []
    for attribute in attributes or []:
        value = attribute.get("value") or {}
        slugs = list(attribute.get("values") or []) + _strings(value.get("slug"))
        names = _strings(value.get("name"))
        if attribute.get("slug") is not None and (slugs or names):
            wanted.append((attribute["slug"], slugs, names))
    return attribute_values_q(wanted)
